/**
 * One diagnostic connection to a back end: TCP, then TLS (for https), then one GET whose status line is
 * read. Each phase is timed; the whole probe is bounded by a deadline. The server's certificate is always
 * captured (`rejectUnauthorized: false`): trust and name are judged afterwards from `authorized`,
 * `authorizationError` and the peer certificate, never by refusing the handshake. Never throws.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { BACKEND_TIMEOUT_CODE, BAD_RESPONSE_CODE } from '../gateway/classify-backend-error';

/** Where to connect and what to ask for. */
export interface ProbeTarget {
  /** An IP address (already resolved). */
  readonly address: string;
  readonly port: number;
  readonly secure: boolean;
  /** SNI name; '' for none (IP literal hosts). */
  readonly servername: string;
  readonly hostHeader: string;
  /** Request target of the GET, starting with '/'. */
  readonly path: string;
}

/** What the TLS handshake showed. */
export interface ProbeTls {
  readonly version: string | null;
  readonly cipher: string | null;
  readonly peer: DetailedPeerCertificate | null;
  /** Chain verified against the CA list given to the probe (Node's `authorized`). */
  readonly authorized: boolean;
  readonly authorizationError: string | null;
}

/** How to connect. */
export interface ProbeOptions {
  readonly clientCertificate: { readonly keyPem: string; readonly certPem: string } | null;
  /** Trusted CAs for the server's chain; undefined: Node's default roots. */
  readonly ca: readonly string[] | undefined;
  /** `Authorization` header value to send, if `mayAuthenticate` agrees once the server is known. */
  readonly authorization: string | null;
  /** Whether credentials may go to this server (its certificate passed the route's checks). */
  readonly mayAuthenticate: (handshake: ProbeTls | null) => boolean;
  /** `performance.now()` time by which the probe gives up. */
  readonly deadline: number;
}

/** The phase a probe was in when it stopped. */
export type ProbePhase = 'connect' | 'tls' | 'http';

/** What one probe found. Times are in milliseconds; null when the phase was not reached. */
export interface ProbeOutcome {
  readonly connectMs: number | null;
  readonly handshakeMs: number | null;
  readonly tls: ProbeTls | null;
  /** From sending the GET to its status line (or to the failure). */
  readonly requestMs: number | null;
  readonly totalMs: number;
  readonly status: number | null;
  /** Null when a status line was read. */
  readonly failedIn: ProbePhase | null;
  readonly error: unknown;
  readonly timedOut: boolean;
  /** The back end closed or reset the connection (no TLS alert, no timeout). */
  readonly closed: boolean;
  /** The connection ended after the handshake without a single byte of answer (and without a TLS alert). */
  readonly closedAfterHandshake: boolean;
  /** The route's credentials were not sent because the server's certificate failed its checks. */
  readonly credentialsWithheld: boolean;
}

const MAX_STATUS_LINE = 8192;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |\r?$)/;

function timeoutError(): Error {
  return Object.assign(new Error('The back end did not answer in time.'), { code: BACKEND_TIMEOUT_CODE });
}

function badResponse(message: string): Error {
  return Object.assign(new Error(`The back end's answer is not HTTP: ${message}`), { code: BAD_RESPONSE_CODE });
}

function handshakeInfo(socket: TLSSocket): ProbeTls {
  const cipher = socket.getCipher() as { standardName?: string; name?: string } | undefined;
  const peer = socket.getPeerCertificate(true);
  return {
    version: socket.getProtocol() ?? null,
    cipher: cipher?.standardName ?? cipher?.name ?? null,
    peer: peer && Object.keys(peer).length > 0 ? peer : null,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
  };
}

function request(target: ProbeTarget, authorization: string | null): string {
  const lines = [
    `GET ${target.path} HTTP/1.1`,
    `Host: ${target.hostHeader}`,
    'User-Agent: CertGate-diagnose',
    'Accept: */*',
    'Connection: close',
    ...(authorization !== null ? [`Authorization: ${authorization}`] : []),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Run one probe. */
export function probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const since = (t: number): number => Math.round(performance.now() - t);
    let phase: ProbePhase = 'connect';
    let phaseStarted = started;
    let connectMs: number | null = null;
    let handshakeMs: number | null = null;
    let handshake: ProbeTls | null = null;
    let credentialsWithheld = false;
    let received = '';
    let settled = false;
    const raw = net.connect({ host: target.address, port: target.port });
    let socket: net.Socket = raw;

    const finish = (result: { status?: number; error?: unknown; timedOut?: boolean; closed?: boolean }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = since(phaseStarted);
      if (phase === 'connect') connectMs = ms;
      else if (phase === 'tls') handshakeMs = ms;
      socket.destroy();
      raw.destroy();
      resolve({
        connectMs,
        handshakeMs,
        tls: handshake,
        requestMs: phase === 'http' ? ms : null,
        totalMs: since(started),
        status: result.status ?? null,
        failedIn: result.status !== undefined ? null : phase,
        error: result.error ?? null,
        timedOut: result.timedOut === true,
        closed: result.closed === true,
        closedAfterHandshake: result.closed === true && phase === 'http' && received === '',
        credentialsWithheld,
      });
    };
    const timer = setTimeout(() => finish({ error: timeoutError(), timedOut: true }), Math.max(0, options.deadline - performance.now()));

    const exchange = (conn: net.Socket): void => {
      phase = 'http';
      phaseStarted = performance.now();
      const mayAuthenticate = options.authorization !== null && options.mayAuthenticate(handshake);
      credentialsWithheld = options.authorization !== null && !mayAuthenticate;
      conn.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        const end = received.indexOf('\n');
        if (end < 0 && received.length <= MAX_STATUS_LINE) return;
        const line = end < 0 ? received : received.slice(0, end);
        const match = STATUS_LINE.exec(line);
        if (match?.[1]) finish({ status: Number(match[1]) });
        else finish({ error: badResponse(JSON.stringify(line.slice(0, 80))) });
      });
      conn.once('end', () => finish({ error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), closed: true }));
      conn.once('close', () => finish({ error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), closed: true }));
      conn.write(request(target, mayAuthenticate ? options.authorization : null));
    };

    raw.on('error', (error: NodeJS.ErrnoException) => finish({ error, closed: error.code === 'ECONNRESET' || error.code === 'EPIPE' }));
    raw.once('connect', () => {
      connectMs = since(phaseStarted);
      if (!target.secure) return exchange(raw);
      phase = 'tls';
      phaseStarted = performance.now();
      const cert = options.clientCertificate;
      const secure = tls.connect({
        socket: raw,
        ...(target.servername !== '' ? { servername: target.servername } : {}),
        ...(options.ca ? { ca: [...options.ca] } : {}),
        ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
        rejectUnauthorized: false,
        // Name and chain are judged by the caller from what the handshake captured.
        checkServerIdentity: () => undefined,
      });
      socket = secure;
      secure.on('error', (error: NodeJS.ErrnoException) => finish({ error, closed: error.code === 'ECONNRESET' || error.code === 'EPIPE' }));
      secure.once('secureConnect', () => {
        handshakeMs = since(phaseStarted);
        handshake = handshakeInfo(secure);
        exchange(secure);
      });
    });
  });
}
