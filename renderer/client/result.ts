/** What the renderer adds to the contract's results: telling a failure of the transport from CertGate's answer. */
import type { AppError } from '../../preload/contract/result';

/** `details.reason` of a failure the client itself produced because CertGate could not be reached. */
export const NETWORK_REASON = 'network';

/** True for a failure the client produced because CertGate could not be reached at all. */
export function isNetworkError(error: AppError): boolean {
  const details = error.details as { reason?: unknown } | undefined;
  return error.code === 'internal' && details?.reason === NETWORK_REASON;
}
