/**
 * The contract's result values: every operation answers `Result`, expected failures are values with a stable
 * code (DESIGN.md "Errors"), never throws. Imports nothing, so every layer may use it (the renderer included).
 */

// ---------------------------------------------------------------------------------------------- errors

/** Every stable error code CertGate returns. Messages are for people; codes are for programs. */
export const errorCodes = [
  // certificates (DESIGN.md "Certificates")
  'bad-password',
  'invalid-format',
  'no-private-key',
  'no-certificate',
  'key-mismatch',
  'too-large',
  'too-expensive',
  'unsupported-algorithm',
  'duplicate',
  'in-use',
  'not-found',
  'keychain-unavailable',
  // the passphrase vault (headless machines): no passphrase given, a wrong one, one given to a keychain folder
  'passphrase-required',
  'bad-passphrase',
  'passphrase-not-used',
  'store-corrupt',
  'validation',
  // data folder ownership (one writer)
  'locked',
  // admin REST API
  'unauthorized',
  'forbidden',
  'precondition-failed',
  'unsupported-media-type',
  // disk full, permissions: nothing was changed
  'io-error',
  // gateway (answers to proxied calls and the console's test call)
  'no-route',
  // an API with operations was called on a path and method none of them matches
  'no-operation',
  'backend-certificate-required',
  'backend-certificate-rejected',
  'backend-untrusted',
  'backend-name-mismatch',
  'backend-unreachable',
  'backend-timeout',
  'backend-reset',
  'backend-malformed',
  'gateway-unavailable',
  // a stored policy (global, an API's or an operation's) does not parse: the API's calls are answered 500 with
  // the line and column until the policy is fixed and saved (the stored text is kept as it is)
  'policy-invalid',
  // the caller went away (Cancel, a closed connection): the call stopped, nothing was changed
  'cancelled',
  // a bug: an exception caught at a boundary
  'internal',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof errorCodes)[number];

/** An expected failure: a stable code, a message that says what happened and what to do, and details. */
export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** The outcome of every operation. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

/** A success value. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failure value. */
export function fail<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** True when a value has the shape of a `Result` (for answers that crossed a transport). */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; value?: unknown; error?: { code?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string';
}

/** For exhaustive switches: a value the type system says cannot exist. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
