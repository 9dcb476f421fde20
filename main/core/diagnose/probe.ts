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

/** How a probe ended. */
interface Ending {
  readonly status?: number;
  readonly error?: unknown;
  readonly timedOut?: boolean;
  readonly closed?: boolean;
}

type Finish = (ending: Ending) => void;

/** What a probe has seen so far, updated as it goes through its phases. */
interface ProbeRun {
  readonly started: number;
  phase: ProbePhase;
  phaseStarted: number;
  connectMs: number | null;
  handshakeMs: number | null;
  handshake: ProbeTls | null;
  credentialsWithheld: boolean;
  received: string;
}

function since(t: number): number {
  return Math.round(performance.now() - t);
}

function enterPhase(run: ProbeRun, phase: ProbePhase): void {
  run.phase = phase;
  run.phaseStarted = performance.now();
}

/** The outcome of a probe that ends now, in its current phase. */
function outcomeOf(run: ProbeRun, ending: Ending): ProbeOutcome {
  const ms = since(run.phaseStarted);
  if (run.phase === 'connect') run.connectMs = ms;
  else if (run.phase === 'tls') run.handshakeMs = ms;
  return {
    connectMs: run.connectMs,
    handshakeMs: run.handshakeMs,
    tls: run.handshake,
    requestMs: run.phase === 'http' ? ms : null,
    totalMs: since(run.started),
    status: ending.status ?? null,
    failedIn: ending.status !== undefined ? null : run.phase,
    error: ending.error ?? null,
    timedOut: ending.timedOut === true,
    closed: ending.closed === true,
    closedAfterHandshake: ending.closed === true && run.phase === 'http' && run.received === '',
    credentialsWithheld: run.credentialsWithheld,
  };
}

function hangUp(): Ending {
  return { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), closed: true };
}

function socketError(error: NodeJS.ErrnoException): Ending {
  return { error, closed: error.code === 'ECONNRESET' || error.code === 'EPIPE' };
}

/** Send the GET on `conn`; the probe ends at its status line, an answer that is not HTTP, or a hang-up. */
function exchange(conn: net.Socket, run: ProbeRun, target: ProbeTarget, options: ProbeOptions, finish: Finish): void {
  enterPhase(run, 'http');
  const mayAuthenticate = options.authorization !== null && options.mayAuthenticate(run.handshake);
  run.credentialsWithheld = options.authorization !== null && !mayAuthenticate;
  conn.on('data', (chunk: Buffer) => {
    run.received += chunk.toString('latin1');
    const end = run.received.indexOf('\n');
    if (end < 0 && run.received.length <= MAX_STATUS_LINE) return;
    const line = end < 0 ? run.received : run.received.slice(0, end);
    const match = STATUS_LINE.exec(line);
    if (match?.[1]) finish({ status: Number(match[1]) });
    else finish({ error: badResponse(JSON.stringify(line.slice(0, 80))) });
  });
  conn.once('end', () => finish(hangUp()));
  conn.once('close', () => finish(hangUp()));
  conn.write(request(target, mayAuthenticate ? options.authorization : null));
}

/** The TLS handshake over the connected `raw` socket, then the exchange. */
function startTls(raw: net.Socket, run: ProbeRun, target: ProbeTarget, options: ProbeOptions, finish: Finish): TLSSocket {
  enterPhase(run, 'tls');
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
  secure.on('error', (error: NodeJS.ErrnoException) => finish(socketError(error)));
  secure.once('secureConnect', () => {
    run.handshakeMs = since(run.phaseStarted);
    run.handshake = handshakeInfo(secure);
    exchange(secure, run, target, options, finish);
  });
  return secure;
}

/** Run one probe. */
export function probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const run: ProbeRun = {
      started,
      phase: 'connect',
      phaseStarted: started,
      connectMs: null,
      handshakeMs: null,
      handshake: null,
      credentialsWithheld: false,
      received: '',
    };
    let settled = false;
    const raw = net.connect({ host: target.address, port: target.port });
    let socket: net.Socket = raw;

    const finish: Finish = (ending) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const outcome = outcomeOf(run, ending);
      socket.destroy();
      raw.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ error: timeoutError(), timedOut: true }), Math.max(0, options.deadline - performance.now()));

    raw.on('error', (error: NodeJS.ErrnoException) => finish(socketError(error)));
    raw.once('connect', () => {
      run.connectMs = since(run.phaseStarted);
      if (!target.secure) return exchange(raw, run, target, options, finish);
      socket = startTls(raw, run, target, options, finish);
    });
  });
}
