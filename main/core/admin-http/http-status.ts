/**
 * The HTTP status each stable error code is answered with. The table is part of the admin API's contract
 * (docs/admin-api.md): 400 for a malformed request, 422 for a well-formed one whose content is refused.
 */
import type { ErrorCode } from '../../../preload/contract';

/** The HTTP status for an error code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'validation':
      return 400;
    case 'bad-password':
    case 'bad-passphrase':
    case 'invalid-format':
    case 'no-private-key':
    case 'no-certificate':
    case 'key-mismatch':
    case 'unsupported-algorithm':
    case 'too-expensive':
      return 422;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
    case 'no-route':
    case 'no-operation':
      return 404;
    case 'in-use':
    case 'duplicate':
    case 'locked':
    case 'passphrase-not-used':
      return 409;
    case 'passphrase-required':
      return 423;
    case 'precondition-failed':
      return 412;
    case 'too-large':
      return 413;
    case 'unsupported-media-type':
      return 415;
    case 'backend-certificate-required':
    case 'backend-certificate-rejected':
    case 'backend-untrusted':
    case 'backend-name-mismatch':
    case 'backend-unreachable':
    case 'backend-reset':
    case 'backend-malformed':
      return 502;
    case 'backend-timeout':
      return 504;
    case 'keychain-unavailable':
    case 'gateway-unavailable':
      return 503;
    case 'io-error':
      return 507;
    case 'cancelled':
      // nginx's "client closed request": the caller went away, so nobody reads it.
      return 499;
    case 'store-corrupt':
    case 'policy-invalid':
    case 'internal':
      return 500;
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled error code: ${String(value)}`);
}
