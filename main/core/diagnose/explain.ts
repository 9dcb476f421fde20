/**
 * Each failure a diagnosis can find, in words, with the likely fix. Pure: plain values in, problems out.
 * Codes are the gateway's own (classify-backend-error.ts), so a diagnosis and a failed call agree.
 */
import type { DiagnosisProblem, ErrorCode, ServerCertificateEntry } from '../../../preload/contract';
import { BAD_RESPONSE_CODE, classifyBackendError } from '../gateway/classify-backend-error';
import { shortName, type ClientDescription } from './certificates';

function problem(code: ErrorCode, message: string, fix: string): DiagnosisProblem {
  return { code, message, fix };
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function errorReason(err: unknown): string {
  const e = err as { reason?: unknown; message?: unknown } | null;
  if (typeof e?.reason === 'string' && e.reason !== '') return e.reason;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/** A duration for people: "800 ms", "10 s". */
export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** The host name did not resolve. */
export function resolveProblem(host: string, err: unknown, timedOut: boolean, timeoutMs: number): DiagnosisProblem {
  if (timedOut) {
    return problem('backend-timeout', `Looking up the host name ${host} took longer than ${seconds(timeoutMs)}.`, "Check this machine's DNS settings, or raise the timeout.");
  }
  return problem(
    'backend-unreachable',
    `The host name ${host} does not resolve (${errorCode(err) || errorReason(err)}).`,
    "Check the host name in the web service URL, and this machine's DNS settings or hosts file.",
  );
}

/** No TCP connection. */
export function connectProblem(where: string, err: unknown, timedOut: boolean, timeoutMs: number): DiagnosisProblem {
  const code = errorCode(err);
  if (timedOut) {
    return problem(
      'backend-timeout',
      `Nothing answered a TCP connection to ${where} within ${seconds(timeoutMs)}.`,
      'Check that the back end is running and that no firewall drops the connection, or raise the timeout.',
    );
  }
  if (code === 'ECONNREFUSED') {
    return problem('backend-unreachable', `Nothing accepts connections at ${where} (ECONNREFUSED).`, 'Start the back end, or fix the host and port in the web service URL.');
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'EHOSTDOWN') {
    return problem('backend-unreachable', `This machine has no route to ${where} (${code}).`, 'Check the network (VPN, proxy, firewall) and the host in the web service URL.');
  }
  const failure = classifyBackendError(err, { clientCertificatePresented: false });
  return problem(failure.code, `The TCP connection to ${where} failed (${code || errorReason(err)}).`, 'Check the web service URL and that the back end is running.');
}

/** The TLS handshake failed for a reason other than the client certificate. */
export function handshakeProblem(where: string, err: unknown, timedOut: boolean, timeoutMs: number): DiagnosisProblem {
  if (timedOut) {
    return problem(
      'backend-timeout',
      `The back end at ${where} accepted the TCP connection but did not complete a TLS handshake within ${seconds(timeoutMs)}.`,
      'Check that it speaks TLS on this port (a plain HTTP service called with https:// can stall like this) and is not overloaded, or raise the timeout.',
    );
  }
  const failure = classifyBackendError(err, { clientCertificatePresented: false });
  if (failure.alert !== null) {
    return problem(
      'backend-unreachable',
      `The back end at ${where} ended the TLS handshake (TLS alert ${failure.alert}).`,
      'Check which TLS versions and ciphers it accepts: CertGate offers TLS 1.2 and 1.3.',
    );
  }
  const reason = errorReason(err);
  if (/wrong version number|packet length too long|unknown protocol|http request/i.test(reason)) {
    return problem(
      'backend-unreachable',
      `The back end at ${where} does not speak TLS on this port (${reason}).`,
      'Use http:// in the web service URL if the back end is plain HTTP, or fix the port.',
    );
  }
  if (failure.code === 'backend-reset') {
    return problem(
      'backend-reset',
      `The back end at ${where} closed the connection during the TLS handshake (${errorCode(err) || reason}).`,
      'Check that it speaks TLS on this port and accepts TLS 1.2 or 1.3; its logs say why it hung up.',
    );
  }
  return problem(failure.code, `The TLS handshake with ${where} failed (${errorCode(err) || reason}).`, 'Check the web service URL (scheme and port) and the back end\'s TLS settings.');
}

/** The GET failed after a good handshake, for a reason other than the client certificate. */
export function exchangeProblem(path: string, err: unknown, timedOut: boolean, timeoutMs: number): DiagnosisProblem {
  if (timedOut) {
    return problem(
      'backend-timeout',
      `The back end did not answer GET ${path} within ${seconds(timeoutMs)}.`,
      'Check that the back end is not stuck or overloaded, or raise the timeout.',
    );
  }
  if (errorCode(err) === BAD_RESPONSE_CODE) {
    return problem('backend-reset', errorReason(err), "Check the web service URL's scheme and port: something other than an HTTP server answers there.");
  }
  const failure = classifyBackendError(err, { clientCertificatePresented: false });
  if (failure.code === 'backend-reset') {
    return problem('backend-reset', `The back end closed the connection without answering GET ${path}.`, "Look at the back end's logs for the reason.");
  }
  return problem(failure.code, `GET ${path} failed (${errorCode(err) || errorReason(err)}).`, 'Check the web service URL and the back end.');
}

const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT']);

/** Why the back end's chain is not trusted: dates said explicitly, then the trust itself. */
export function untrustedProblems(chain: readonly ServerCertificateEntry[], authorizationError: string | null, now: Date): DiagnosisProblem[] {
  const out: DiagnosisProblem[] = [];
  const leaf = chain[0];
  const expired = chain.find((c) => Date.parse(c.notAfter) < now.getTime());
  const early = chain.find((c) => Date.parse(c.notBefore) > now.getTime());
  if (expired) {
    out.push(
      expired === leaf
        ? problem('backend-untrusted', `The back end's certificate expired on ${day(expired.notAfter)} (${expired.subject}).`, 'Renew it on the server.')
        : problem(
            'backend-untrusted',
            `A CA certificate the back end sends expired on ${day(expired.notAfter)} (${expired.subject}).`,
            'Have the server send a current chain (renew or replace that CA certificate).',
          ),
    );
  }
  if (early) {
    out.push(
      problem(
        'backend-untrusted',
        `The back end's certificate ${early.subject} is not valid before ${day(early.notBefore)}.`,
        "Check the certificate's dates on the server, and this machine's clock.",
      ),
    );
  }
  if (authorizationError === null || (DATE_ERRORS.has(authorizationError) && out.length > 0)) return out;
  if (DATE_ERRORS.has(authorizationError)) {
    out.push(
      problem(
        'backend-untrusted',
        `A certificate of the back end's chain is outside its validity dates (${authorizationError}).`,
        "Renew it on the server, and check this machine's clock.",
      ),
    );
    return out;
  }
  const top = chain[chain.length - 1];
  if (leaf && (SELF_SIGNED.has(authorizationError) || (chain.length === 1 && leaf.issuer === leaf.subject))) {
    out.push(
      problem(
        'backend-untrusted',
        `The back end's certificate is self-signed (${leaf.subject}) and this API does not trust it (${authorizationError}).`,
        `Add that certificate to this API's trusted CA certificates, or turn off certificate chain validation for this API.`,
      ),
    );
  } else if (top) {
    const issuer = shortName(top.issuer);
    out.push(
      problem(
        'backend-untrusted',
        `The back end's certificate (${leaf?.subject ?? top.subject}) is issued by ${top.issuer}, which this API does not trust (${authorizationError}).`,
        `Add the '${issuer}' certificate to this API's trusted CA certificates, or turn off certificate chain validation for this API.`,
      ),
    );
  } else {
    out.push(problem('backend-untrusted', `The back end's certificate is not trusted (${authorizationError}).`, "Add its CA certificate to this API's trusted CA certificates, or turn off certificate chain validation for this API."));
  }
  return out;
}

/** The host name (or address) of the service URL is not in the back end's certificate. */
export function nameProblem(host: string, isIp: boolean, leaf: ServerCertificateEntry | undefined): DiagnosisProblem {
  const names = leaf ? (leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : `${leaf.subject}, and no subject alternative names`) : 'no certificate';
  return problem(
    'backend-name-mismatch',
    `The ${isIp ? 'address' : 'name'} ${host} is not in the back end's certificate (${names}).`,
    'Call it by a name it has, or turn off name validation for this API.',
  );
}

/** The back end wants a client certificate and the API sends none. */
export function certificateRequiredProblem(alert: string | null): DiagnosisProblem {
  return problem(
    'backend-certificate-required',
    `The back end asks for a client certificate and this API sends none${alert ? ` (TLS alert ${alert})` : ''}.`,
    'Set Security → Mutual certificates, with a client certificate the back end trusts.',
  );
}

/** The back end hung up right after the handshake, with no client certificate sent and no TLS alert. */
export function closedWithoutAlertProblem(): DiagnosisProblem {
  return problem(
    'backend-reset',
    'The back end closed the connection right after the TLS handshake, without answering and without a TLS alert.',
    "If it requires client certificates, set Security → Mutual certificates; otherwise its logs say why it hung up.",
  );
}

/** The back end refused the client certificate we presented. `alert` null: it closed without an alert. */
export function certificateRejectedProblem(client: ClientDescription, alert: string | null): DiagnosisProblem {
  const how = alert
    ? `it refused the certificate with TLS alert ${alert}`
    : 'it closed the connection without a TLS alert as soon as it had the certificate, as Node.js servers do when they refuse one';
  const code = 'backend-certificate-rejected';
  const likely = alert ? '' : 'most likely ';
  const untrusted = (): DiagnosisProblem =>
    client.selfSigned
      ? problem(code, `The back end ${likely}does not trust ${client.name}, which is self-signed: ${how}.`, `Give it the '${client.name}' certificate itself, or use a client certificate issued by a CA it trusts.`)
      : problem(
          code,
          `The back end ${likely}does not trust the issuer of ${client.name} (${client.issuer || 'unknown issuer'}): ${how}.`,
          `Give it the '${shortName(client.issuer)}' certificate, or use a client certificate it trusts.`,
        );
  if (client.expired && client.notAfter) {
    return problem(code, `The client certificate ${client.name} expired on ${day(client.notAfter)}: ${how}.`, "Upload a renewed certificate and choose it in this API's Security settings.");
  }
  switch (alert) {
    case null:
    case 'unknown_ca':
      return untrusted();
    case 'certificate_expired':
      return problem(
        code,
        `The back end says ${client.name} has expired (${how}), though by this machine's clock it is valid until ${client.notAfter ? day(client.notAfter) : 'a later date'}.`,
        "Check the back end's clock and the dates of the certificate's chain, or use a renewed certificate.",
      );
    case 'certificate_revoked':
      return problem(code, `The back end says ${client.name} is revoked: ${how}.`, "Use a new client certificate, and choose it in this API's Security settings.");
    case 'access_denied':
      return problem(
        code,
        `The back end knows ${client.name} but denies it access: ${how}.`,
        `Ask the back end's owners to allow this certificate (thumbprint ${client.thumbprint}), or use one it allows.`,
      );
    case 'certificate_required':
      return problem(
        code,
        `The back end says it got no client certificate, though this API presents ${client.name}: ${how}.`,
        `Check that the back end accepts certificates issued by ${client.issuer || 'its issuer'} and that the certificate's chain is complete.`,
      );
    default:
      return problem(
        code,
        `The back end refused the client certificate ${client.name}: ${how}.`,
        `Check that it is within its dates, is meant for client authentication (extended key usage clientAuth), has its full chain, and that the back end trusts its issuer (${client.issuer || 'unknown'}).`,
      );
  }
}
