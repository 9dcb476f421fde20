import { describe, expect, it } from 'vitest';
import { BACKEND_TIMEOUT_CODE, classifyBackendError } from '../../../../main/core/gateway/classify-backend-error';

const withCert = { clientCertificatePresented: true };
const noCert = { clientCertificatePresented: false };

function sslError(code: string, reason: string, alert: number): Error {
  return Object.assign(
    new Error(`C0A7:error:0A00045C:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number ${alert}`),
    { code, reason, library: 'SSL routines' },
  );
}

describe('classifyBackendError', () => {
  it('maps TLS 1.3 certificate_required to backend-certificate-required, whatever we presented', () => {
    const err = sslError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required', 116);
    for (const ctx of [noCert, withCert]) {
      const f = classifyBackendError(err, ctx);
      expect(f).toMatchObject({ code: 'backend-certificate-required', status: 502, alert: 'certificate_required' });
    }
  });

  it('maps a TLS 1.2 handshake_failure to certificate-required without a certificate, rejected with one', () => {
    const err = sslError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure', 40);
    expect(classifyBackendError(err, noCert).code).toBe('backend-certificate-required');
    const rejected = classifyBackendError(err, withCert);
    expect(rejected.code).toBe('backend-certificate-rejected');
    expect(rejected.message).toContain('handshake_failure');
  });

  it.each([
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca', 48, 'unknown_ca'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'sslv3 alert bad certificate', 42, 'bad_certificate'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'sslv3 alert certificate expired', 45, 'certificate_expired'],
    ['ERR_SSL_TLSV1_ALERT_ACCESS_DENIED', 'tlsv1 alert access denied', 49, 'access_denied'],
  ])('names the alert when the back end refuses our certificate (%s)', (code, reason, alert, name) => {
    const f = classifyBackendError(sslError(code, reason, alert), withCert);
    expect(f).toMatchObject({ code: 'backend-certificate-rejected', status: 502, alert: name });
    expect(f.message).toContain(name);
  });

  it('reads the alert from the code when the message has no alert number', () => {
    const err = Object.assign(new Error('tlsv1 alert unknown ca'), { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' });
    expect(classifyBackendError(err, withCert)).toMatchObject({ code: 'backend-certificate-rejected', alert: 'unknown_ca' });
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])(
    'maps chain failure %s to backend-untrusted',
    (code) => {
      const f = classifyBackendError(Object.assign(new Error(code), { code }), withCert);
      expect(f).toMatchObject({ code: 'backend-untrusted', status: 502, alert: null });
      expect(f.message).toContain(code);
    },
  );

  it('maps ERR_TLS_CERT_ALTNAME_INVALID to backend-name-mismatch', () => {
    const err = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      reason: 'IP: 127.0.0.1 is not in the cert\'s list: ',
    });
    expect(classifyBackendError(err, noCert)).toMatchObject({ code: 'backend-name-mismatch', status: 502 });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])('maps %s to backend-unreachable', (code) => {
    expect(classifyBackendError(Object.assign(new Error(code), { code }), noCert)).toMatchObject({ code: 'backend-unreachable', status: 502 });
  });

  it('maps timeouts to backend-timeout with 504', () => {
    for (const code of [BACKEND_TIMEOUT_CODE, 'ETIMEDOUT']) {
      expect(classifyBackendError({ code }, withCert)).toMatchObject({ code: 'backend-timeout', status: 504 });
    }
  });

  it('maps resets and hang-ups to backend-reset', () => {
    expect(classifyBackendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), withCert).code).toBe('backend-reset');
    expect(classifyBackendError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), withCert).code).toBe('backend-reset');
    expect(classifyBackendError(new Error('aborted'), withCert).code).toBe('backend-reset');
  });

  it('hints at a refused certificate when a new connection closes right after the handshake, without an alert', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const hinted = classifyBackendError(reset, { clientCertificatePresented: true, closedRightAfterHandshake: true });
    expect(hinted.code).toBe('backend-reset');
    expect(hinted.message).toContain('refused');
    expect(classifyBackendError(reset, { clientCertificatePresented: false, closedRightAfterHandshake: true }).message).not.toContain('refused');
    expect(classifyBackendError(reset, { clientCertificatePresented: true, closedRightAfterHandshake: false }).message).not.toContain('refused');
  });

  it('treats a back end that does not speak TLS as unreachable and never throws on odd values', () => {
    const err = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' });
    expect(classifyBackendError(err, withCert)).toMatchObject({ code: 'backend-unreachable', status: 502 });
    for (const odd of [undefined, null, 42, 'boom', {}, { code: 7 }]) {
      expect(classifyBackendError(odd, noCert).code).toBe('backend-unreachable');
    }
  });

  it("maps undici's errors: parse errors and framing to backend-malformed, its timeouts to backend-timeout, a closed socket to backend-reset", () => {
    const parser = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Content-Length can\'t be present with Transfer-Encoding)'), {
      name: 'HTTPParserError',
      code: undefined,
    });
    const malformed = [
      parser,
      Object.assign(new Error('Response body object length does not match content-length header'), { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' }),
      Object.assign(new Error('Headers Overflow Error'), { code: 'UND_ERR_HEADERS_OVERFLOW' }),
      Object.assign(new Error('bad response'), { code: 'UND_ERR_SOCKET' }),
      Object.assign(new Error('x'), { code: 'HPE_INVALID_CHUNK_SIZE' }),
    ];
    for (const err of malformed) expect(classifyBackendError(err, withCert), err.message).toMatchObject({ code: 'backend-malformed', status: 502 });
    expect(classifyBackendError(parser, withCert).message).toContain('Transfer-Encoding');
    for (const code of ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']) {
      expect(classifyBackendError(Object.assign(new Error('t'), { code }), withCert)).toMatchObject({ code: 'backend-timeout', status: 504 });
    }
    expect(classifyBackendError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), withCert).code).toBe('backend-reset');
  });
});
