/**
 * The proxy's hot path: match the route, rewrite headers on raw arrays, run the exchange on a pooled
 * back-end connection, stream the answer with back-pressure, and answer failures as JSON. Each call is one
 * object (no closures per request) and is finished exactly once, when the client's side closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ErrorCode, TrafficEntry } from '../../../preload/contract';
import type { ActiveConfig, ActiveRoute } from './active-routes';
import { BACKEND_TIMEOUT_CODE, classifyBackendError } from './classify-backend-error';
import { applyHeaderActions, filterOutbound, scanInbound, setHeader } from './headers';
import { hasDotSegment, joinUpstreamPath, matchRoute, originForm } from './router';
import type { Exchange, ExchangeHandler, ExchangeRequest } from './upstream-exchange';
import type { UpstreamPool } from './upstream-pool';

const CALL = Symbol('certgate.call');
/** Answers up to this size are sent with their head in a single write. */
const SINGLE_WRITE_LIMIT = 16 * 1024;
/** Status recorded for a call whose client hung up before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** One call through the gateway, from the client's request to the end of the answer. */
class Call implements ExchangeHandler {
  route: ActiveRoute | null = null;
  /** The pool this call holds (released once when the call is over). */
  pool: UpstreamPool | null = null;
  exchange: Exchange | null = null;
  request: ExchangeRequest | null = null;
  status = 0;
  errorCode: ErrorCode | null = null;
  handshake: 'new' | 'reused' | null = null;
  retried = false;
  timedOut = false;
  responded = false;
  done = false;
  lastActivity = -1;
  lastActivityAt: number;
  /** Position in the proxy's in-flight list (-1 when not in it). */
  slot = -1;

  constructor(
    readonly proxy: Proxy,
    readonly id: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startedAt: number,
    readonly wallStart: number,
  ) {
    this.lastActivityAt = startedAt;
  }

  onHead(status: number, reason: string, rawHeaders: string[]): void {
    const route = this.route as ActiveRoute;
    this.responded = true;
    this.status = status;
    const headers = filterOutbound(rawHeaders);
    if (route.outbound.length > 0) applyHeaderActions(headers, route.outbound);
    headers.push('x-certgate-request-id', this.id);
    try {
      this.res.writeHead(status, reason === '' ? undefined : reason, headers);
    } catch (err) {
      this.exchange?.abort();
      this.proxy.fail(this, 502, 'backend-reset', `The back end's answer could not be relayed: ${(err as Error).message}`);
    }
  }

  onData(chunk: Buffer, last: boolean): boolean {
    if (this.res.destroyed) return true;
    if (last) {
      // The usual small answer: as a latin1 string (byte for byte), Node sends head and body in one write.
      if (chunk.length <= SINGLE_WRITE_LIMIT) this.res.end(chunk.toString('latin1'), 'latin1');
      else this.res.end(chunk);
      return true;
    }
    if (this.res.write(chunk)) return true;
    this.res.once('drain', onClientDrain);
    return false;
  }

  onEnd(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  onError(err: Error): void {
    this.proxy.upstreamFailed(this, err);
  }
}

type TaggedResponse = ServerResponse & { [CALL]?: Call };

/** What the proxy reports to its owner. */
export interface ProxyHost {
  config(): ActiveConfig;
  /** Called once per call when it is over. */
  record(entry: TrafficEntry): void;
}

/** The request handler and the calls in flight. */
export class Proxy {
  /** Calls in flight; removal swaps the last one into the hole (no Set churn on the hot path). */
  private readonly inFlight: Call[] = [];
  /** Exchanges whose client has gone, read to their end (at most drainLimitMs) to keep the connection. */
  private readonly draining = new Set<{ readonly exchange: Exchange; readonly deadline: number }>();
  private readonly drainLimitMs: number;
  private readonly idPrefix: string;
  private counter = 0;

  constructor(
    private readonly host: ProxyHost,
    private readonly backendTimeoutMs: number,
  ) {
    this.idPrefix = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
    this.drainLimitMs = Math.min(backendTimeoutMs, 2_000);
  }

  /** Calls not finished yet. */
  get inFlightCount(): number {
    return this.inFlight.length;
  }

  /** The `request` listener of the gateway's HTTP server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const id = `${this.idPrefix}-${(++this.counter).toString(16).padStart(8, '0')}`;
    const call = new Call(this, id, req, res, performance.now(), Date.now());
    (res as TaggedResponse)[CALL] = call;
    call.slot = this.inFlight.push(call) - 1;
    res.on('close', onClientClose);
    try {
      this.route(call);
    } catch (err) {
      // A bug, not an expected failure: answer 502 rather than crash or hang.
      this.fail(call, 502, 'internal', `The gateway failed to forward the call: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  private route(call: Call): void {
    const target = originForm(call.req.url);
    if (target === null) return this.fail(call, 400, 'validation', 'The request target is not a path.');
    const match = matchRoute(this.host.config().table, target);
    if (match === null) return this.fail(call, 404, 'no-route', `No API is published at ${target.split('?')[0] ?? ''}.`);
    const route = match.route;
    call.route = route;
    const q = match.rest.indexOf('?');
    if (hasDotSegment(q === -1 ? match.rest : match.rest.slice(0, q))) {
      return this.fail(call, 400, 'validation', 'The path may not contain "." or ".." segments.');
    }
    const scan = scanInbound(call.req.rawHeaders);
    const headers = scan.headers;
    const remote = call.req.socket.remoteAddress ?? '';
    headers.push(
      'Host',
      route.target.hostHeader,
      'X-Forwarded-For',
      scan.forwardedFor === '' ? remote : `${scan.forwardedFor}, ${remote}`,
      'X-Forwarded-Proto',
      'http',
      'X-Forwarded-Host',
      scan.host,
    );
    if (route.authorization !== null) setHeader(headers, 'Authorization', route.authorization);
    if (route.inbound.length > 0) applyHeaderActions(headers, route.inbound);
    call.request = {
      method: call.req.method ?? 'GET',
      path: joinUpstreamPath(route.target.basePath, match.rest),
      headers,
      hasBody: scan.hasBody,
      chunked: scan.chunked,
    };
    call.pool = route.pool;
    route.pool.acquire();
    this.send(call);
  }

  /** Send (or re-send) the call to its back end. */
  private send(call: Call): void {
    const request = call.request as ExchangeRequest;
    call.lastActivity = -1;
    call.lastActivityAt = performance.now();
    call.exchange = (call.pool as UpstreamPool).exchange(request, call, request.hasBody ? call.req : null);
  }

  /** Answer with a JSON error (or cut the answer if it has started) and remember the code. */
  fail(call: Call, status: number, code: ErrorCode, message: string): void {
    call.errorCode = code;
    const res = call.res;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    call.status = status;
    const body = JSON.stringify({ error: { code, message, api: call.route?.apiId ?? null, requestId: call.id } });
    res.writeHead(status, [
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(body)),
      'Cache-Control',
      'no-store',
      'x-certgate-request-id',
      call.id,
    ]);
    res.end(body);
  }

  /** A back-end error before or during the answer. */
  upstreamFailed(call: Call, err: unknown): void {
    if (call.done) return;
    const exchange = call.exchange as Exchange;
    const code = (err as { code?: unknown } | null)?.code;
    if (!call.retried && !call.timedOut && !call.responded && exchange.reused && !call.request?.hasBody && (code === 'ECONNRESET' || code === 'EPIPE')) {
      // The keep-alive race: the back end closed an idle connection as we reused it. Nothing was answered
      // and the request has no body, so sending it again on a new connection is safe.
      call.retried = true;
      this.send(call);
      return;
    }
    const failure = classifyBackendError(call.timedOut ? { code: BACKEND_TIMEOUT_CODE } : err, {
      clientCertificatePresented: call.route?.config.clientCertificate != null,
      closedRightAfterHandshake: !exchange.reused && !call.responded && exchange.conn.secured,
    });
    if (call.handshake === null) call.handshake = exchange.reused ? 'reused' : 'new';
    this.fail(call, failure.status, failure.code, failure.message);
  }

  /** The client's side is closed (answer complete or not): finish the call once. */
  finish(call: Call): void {
    if (call.done) return;
    call.done = true;
    const last = this.inFlight.pop() as Call;
    if (last !== call) {
      this.inFlight[call.slot] = last;
      last.slot = call.slot;
    }
    call.slot = -1;
    const exchange = call.exchange;
    const pool = call.pool;
    if (exchange) call.handshake ??= exchange.reused ? 'reused' : 'new';
    if (exchange && pool && !call.res.writableFinished) {
      // The client left first: finish reading the back end's answer (bounded) to keep its connection.
      const drain = { exchange, deadline: performance.now() + this.drainLimitMs };
      this.draining.add(drain);
      exchange.discard(() => {
        this.draining.delete(drain);
        pool.release();
      });
    } else {
      pool?.release();
    }
    if (!call.res.writableFinished && (call.status === 0 || call.errorCode === null)) call.status = CLIENT_CLOSED;
    const route = call.route;
    const url = call.req.url ?? '';
    const q = url.indexOf('?');
    this.host.record({
      requestId: call.id,
      time: isoTime(call.wallStart),
      method: call.req.method ?? '',
      path: q === -1 ? url : url.slice(0, q),
      apiId: route?.apiId ?? null,
      status: call.status,
      durationMs: Math.round((performance.now() - call.startedAt) * 1000) / 1000,
      certificateId: route?.certificateId ?? null,
      thumbprint: route?.thumbprint ?? null,
      handshake: call.handshake,
      errorCode: call.errorCode,
    });
  }

  /** Time out calls whose back end has been silent for `backendTimeoutMs` (run from a timer). */
  sweep(now: number): void {
    for (const drain of [...this.draining]) if (now >= drain.deadline) drain.exchange.abort();
    for (const call of [...this.inFlight]) {
      const exchange = call.exchange;
      if (exchange === null || call.timedOut || call.res.writableEnded) continue;
      // Bytes moving either way, or an answer paused by a slow client, count as activity.
      const activity = exchange.activity();
      if (activity !== call.lastActivity || exchange.paused) {
        call.lastActivity = activity;
        call.lastActivityAt = now;
      } else if (now - call.lastActivityAt >= this.backendTimeoutMs) {
        call.timedOut = true;
        exchange.fail(Object.assign(new Error('The back end did not answer in time.'), { code: BACKEND_TIMEOUT_CODE }));
      }
    }
  }

  /** Cut every call still in flight (at stop, after the grace period). */
  abortAll(): void {
    for (const call of [...this.inFlight]) call.res.destroy();
    for (const drain of [...this.draining]) drain.exchange.abort();
  }
}

let isoMs = -1;
let isoText = '';

/** ISO 8601 time of an epoch millisecond, cached: many calls finish within the same millisecond. */
function isoTime(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

function onClientClose(this: TaggedResponse): void {
  const call = this[CALL];
  if (call) call.proxy.finish(call);
}

function onClientDrain(this: TaggedResponse): void {
  this[CALL]?.exchange?.resume();
}
