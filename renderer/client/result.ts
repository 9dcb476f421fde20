/**
 * Result helpers for the renderer. The contract's `ok`/`fail` are not imported: importing any value from the
 * contract would pull its zod schemas into the renderer bundle.
 */
import type { AppError, ErrorCode, Result } from '../../preload/contract';

/** A failure value, as the contract's `fail`. */
export function failure<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  const error: AppError = details === undefined ? { code, message } : { code, message, details };
  return { ok: false, error };
}

/** `details.reason` of a failure the client itself produced because CertGate could not be reached. */
export const NETWORK_REASON = 'network';

/** True for a failure the client produced because CertGate could not be reached at all. */
export function isNetworkError(error: AppError): boolean {
  const details = error.details as { reason?: unknown } | undefined;
  return error.code === 'internal' && details?.reason === NETWORK_REASON;
}

/** True when a value has the shape of a `Result`. */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; value?: unknown; error?: { code?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string';
}
