/**
 * Maps what Node reports when a call to a back end fails (socket, DNS and TLS errors) to CertGate's stable
 * gateway error codes, with an HTTP status and a message that says what happened and what to do.
 * Pure: no I/O, so every mapping is unit-tested on plain error values.
 */
import type { ErrorCode } from '../../../preload/contract';

/** The gateway's answer to a failed back-end call. */
export interface BackendFailure {
  readonly code: ErrorCode;
  readonly status: 502 | 504;
  readonly message: string;
  /** The TLS alert the back end sent, by its RFC 8446 name (e.g. "unknown_ca"), when there was one. */
  readonly alert: string | null;
}

/** The code the gateway gives its own back-end timeout errors. */
export const BACKEND_TIMEOUT_CODE = 'CERTGATE_BACKEND_TIMEOUT';
/** The code of an answer that is not well-formed HTTP (the diagnostics' probe uses it too). */
export const BAD_RESPONSE_CODE = 'CERTGATE_BAD_RESPONSE';

/** TLS alert numbers (RFC 8446 section 6) and their names. */
const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Alerts by which a server refuses the client certificate it was given. */
const CLIENT_CERT_ALERTS = new Set([40, 42, 43, 44, 45, 46, 48, 49, 51, 116]);

/** OpenSSL verification results (err.code) that mean the back end's chain is not trusted. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EHOSTDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_STREAM_CANCEL']);
const TIMEOUT_CODES = new Set([BACKEND_TIMEOUT_CODE, 'ETIMEDOUT', 'ECONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/**
 * An answer that breaks HTTP framing: llhttp's parse errors (HPE_*, e.g. Content-Length with
 * Transfer-Encoding, a bad chunk size, a bare LF), a body shorter or longer than its Content-Length, a head
 * over the size bound, an unrequested upgrade, or a 100 Continue with no call waiting (undici's SocketError "bad response").
 */
const MALFORMED_CODES = new Set([
  BAD_RESPONSE_CODE,
  'ERR_HTTP_PARSER',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_HTTP2_PROTOCOL_ERROR',
]);

/** True when an error means the back end's answer was not well-formed HTTP. */
function isMalformed(code: string, message: string): boolean {
  if (code.startsWith('HPE_') || MALFORMED_CODES.has(code)) return true;
  return code === 'UND_ERR_SOCKET' && /^bad (response|upgrade)$/.test(message);
}

/** Reads `code`, `message` and `reason` from anything thrown or emitted, without trusting its shape. */
function describe(err: unknown): { code: string; message: string; reason: string } {
  if (typeof err !== 'object' || err === null) return { code: '', message: String(err), reason: '' };
  const e = err as { code?: unknown; message?: unknown; reason?: unknown; name?: unknown };
  return {
    // undici's llhttp errors carry no code (constants.ERROR maps names to numbers, not back): name them.
    code: typeof e.code === 'string' ? e.code : e.name === 'HTTPParserError' ? 'ERR_HTTP_PARSER' : '',
    message: typeof e.message === 'string' ? e.message : '',
    reason: typeof e.reason === 'string' ? e.reason : '',
  };
}

/** The TLS alert number carried by an OpenSSL error, from its message or its code. */
function alertNumber(code: string, message: string, reason: string): number | null {
  const m = /alert number (\d+)/i.exec(message);
  if (m?.[1]) return Number(m[1]);
  if (!code.startsWith('ERR_SSL_') || !code.includes('_ALERT_')) return null;
  // e.g. ERR_SSL_TLSV1_ALERT_UNKNOWN_CA, ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED
  const name = (reason || code.replace(/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_/, ''))
    .toLowerCase()
    .replace(/^(sslv3|tlsv1|tlsv13) alert /, '')
    .replace(/[ -]/g, '_');
  for (const [num, n] of Object.entries(ALERT_NAMES)) if (n === name) return Number(num);
  return null;
}

/** The RFC 8446 name of a TLS alert number. */
export function alertName(alert: number): string {
  return ALERT_NAMES[alert] ?? `alert ${alert}`;
}

function failure(code: ErrorCode, message: string, alert: string | null = null, status: 502 | 504 = 502): BackendFailure {
  return { code, status, message, alert };
}

/** What the proxy knows about the connection a failure happened on. */
export interface BackendErrorContext {
  /** The route presents a client certificate. */
  readonly clientCertificatePresented: boolean;
  /**
   * The connection was new, its TLS handshake had completed, and it closed before an answer. Some servers
   * (Node's among them) refuse a client certificate that way, without a TLS alert: the message says so.
   */
  readonly closedRightAfterHandshake?: boolean;
}

/**
 * Classify a back-end failure. `clientCertificatePresented` tells whether the route presents a client
 * certificate: a handshake refused by a back end that wanted one we did not send is
 * `backend-certificate-required`; the same refusal when we sent one is `backend-certificate-rejected`.
 */
export function classifyBackendError(err: unknown, context: BackendErrorContext): BackendFailure {
  const { code, message, reason } = describe(err);
  const presented = context.clientCertificatePresented;

  if (TIMEOUT_CODES.has(code)) {
    return failure('backend-timeout', 'The back end did not answer in time. Check that it is running and not overloaded, or raise the gateway timeout.', null, 504);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return failure(
      'backend-name-mismatch',
      `The back end's certificate is not valid for its host name (${reason || message}). Fix the web service URL, or turn off certificate name validation for this API.`,
    );
  }
  if (UNTRUSTED_CODES.has(code)) {
    return failure(
      'backend-untrusted',
      `The back end's certificate is not trusted (${code}). Add its CA certificate to this API's trusted CAs, or turn off certificate chain validation.`,
    );
  }

  const alert = alertNumber(code, message, reason);
  if (alert !== null) {
    const name = alertName(alert);
    if (alert === 116 || (!presented && CLIENT_CERT_ALERTS.has(alert))) {
      return failure(
        'backend-certificate-required',
        `The back end requires a client certificate and none was presented (TLS alert ${name}). Choose a client certificate in this API's Security settings.`,
        name,
      );
    }
    if (CLIENT_CERT_ALERTS.has(alert)) {
      return failure(
        'backend-certificate-rejected',
        `The back end refused the client certificate (TLS alert ${name}). Check that it trusts the certificate's issuer and that the certificate is valid.`,
        name,
      );
    }
    return failure('backend-unreachable', `The TLS connection to the back end failed (TLS alert ${name}).`, name);
  }

  if (isMalformed(code, message)) {
    return failure(
      'backend-malformed',
      `The back end's answer is not well-formed HTTP (${code === BAD_RESPONSE_CODE ? message : `${code}: ${message}`}); it was not relayed and the connection was closed. Fix the back end, or check that the web service URL points at an HTTP server.`,
    );
  }
  if (UNREACHABLE_CODES.has(code)) {
    return failure('backend-unreachable', `The back end cannot be reached (${code}). Check the web service URL and that the back end is running.`);
  }
  if (RESET_CODES.has(code) || /socket hang up|aborted|premature close/i.test(message)) {
    if (presented && context.closedRightAfterHandshake === true) {
      // Node, among others, refuses a client certificate by closing the connection without a TLS alert.
      // That looks exactly like a crash right after the handshake, so say both.
      return failure(
        'backend-reset',
        'The back end closed the new connection right after the TLS handshake, without answering and without a TLS alert. If it requires client certificates, it has most likely refused this one: check that it trusts the certificate\'s issuer.',
      );
    }
    return failure('backend-reset', 'The back end closed the connection before it finished its answer.');
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return failure('backend-unreachable', `The TLS connection to the back end failed (${reason || code}). Check that the web service URL's scheme and port are right.`);
  }
  return failure('backend-unreachable', `The call to the back end failed (${code || message || 'unknown error'}).`);
}
