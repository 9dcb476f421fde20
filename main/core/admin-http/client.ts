/**
 * The CLI's way to a running instance (one writer per data folder): the same `POST /_rpc/{operation}` the
 * browser console uses. Transport problems come back as failures, never as throws.
 */
import { fail, type AppError, type OperationInput, type OperationName, type OperationOutput, type Result } from '../../../preload/contract';

/** `details.reason` of a failure produced because the instance could not be reached at all. */
export const NETWORK_REASON = 'network';

/** How long one call may take (a certificate upload parses a file; a test call waits for a back end). */
const CALL_TIMEOUT_MS = 120_000;

/** Call one operation on the instance at `baseUrl` (e.g. "http://127.0.0.1:8788") with its bearer token. */
export async function callAdmin<N extends OperationName>(
  baseUrl: string,
  token: string,
  name: N,
  input: OperationInput<N>,
): Promise<Result<OperationOutput<N>>> {
  const url = `${baseUrl.replace(/\/+$/, '')}/_rpc/${encodeURIComponent(name)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(input ?? {}),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return fail(
      'internal',
      timedOut ? `CertGate at ${baseUrl} did not answer ${name} within ${CALL_TIMEOUT_MS / 1000} seconds.` : `CertGate cannot be reached at ${baseUrl}.`,
      { reason: NETWORK_REASON, cause: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err) },
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isResult(body)) return body as Result<OperationOutput<N>>;
  if (response.status === 401) return fail('unauthorized', `CertGate at ${baseUrl} refused the token in the data folder's admin-token file.`);
  if (response.status === 403) return fail('forbidden', `CertGate at ${baseUrl} refused the request.`);
  return fail('internal', `CertGate at ${baseUrl} answered ${name} with HTTP ${response.status} and no result.`);
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: Partial<AppError> | null };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}
