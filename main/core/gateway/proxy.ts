/**
 * The proxy's hot path: choose the route, rewrite headers on raw arrays, dispatch the call on the route's
 * undici pool, relay the answer with back-pressure, and answer failures as JSON. Each call is one object that
 * is also its undici handler (no closures per request), finished exactly once, when the client's side closes.
 *
 * Framing on the client side is ours: the back end's Content-Length (verified by llhttp) or chunked. The head
 * is held until the first body byte or the end, so a back end whose body fails before any byte was sent still
 * gets the client a JSON 502; once bytes have been sent, a failure cuts the client connection instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ErrorCode, TrafficEntry } from '../../../preload/contract';
import type { ActiveConfig, ActiveRoute } from './active-routes';
import { classifyBackendError } from './classify-backend-error';
import { applyHeaderActions, copyOutbound, scanInbound, setHeader } from './headers';
import { joinUpstreamPath, matchRoute, mayEscapeServicePath, originForm } from './router';
import { onNewConnection, type UpstreamPool } from './upstream-pool';

const CALL = Symbol('certgate.call');
/** Answers up to this size are sent with their head in a single write. */
const SINGLE_WRITE_LIMIT = 16 * 1024;
/** Status recorded for a call whose client hung up before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;
/** RFC 9110 section 9.2.2: the methods a proxy may retry on its own. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Errors by which a reused connection turns out to have been closed by the back end. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** A reason phrase we relay as it is: visible ASCII and spaces (undici decodes it as UTF-8). */
const PLAIN_REASON = /^[\x20-\x7e\t]*$/;

/** The request as it goes to the back end. */
interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: string[];
  readonly hasBody: boolean;
}

/** One call through the gateway, from the client's request to the end of the answer. */
class Call implements Dispatcher.DispatchHandler {
  route: ActiveRoute | null = null;
  /** The pool this call holds (released once when the call is over). */
  pool: UpstreamPool | null = null;
  request: UpstreamRequest | null = null;
  status = 0;
  errorCode: ErrorCode | null = null;
  handshake: 'new' | 'reused' | null = null;
  retried = false;
  /** The back end's head has arrived. */
  responded = false;
  /** The client's head has been written (with the first body bytes, or at the end). */
  headWritten = false;
  /** Held head: reason phrase and headers, until the first body bytes. */
  reason = '';
  headers: string[] | null = null;
  /** Body bytes still expected by Content-Length, or -1 (chunked or until close). */
  remaining = -1;
  /** The back end's answer has ended (complete or failed). */
  settled = false;
  /** The client has gone and the rest of the answer is read into the void. */
  discarding = false;
  done = false;
  abort: ((err?: Error) => void) | null = null;
  resumeBackend: (() => void) | null = null;
  /** Position in the proxy's in-flight list (-1 when not in it). */
  slot = -1;
  /** When the client went away while discarding: the draining deadline (performance.now()). */
  drainDeadline = 0;

  constructor(
    readonly proxy: Proxy,
    readonly id: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startedAt: number,
    readonly wallStart: number,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.handshake = onNewConnection() ? 'new' : 'reused';
    // The client left while the call waited for a connection, and has been gone too long.
    if (this.discarding && performance.now() >= this.drainDeadline) abort();
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    this.resumeBackend = resume;
    if (this.discarding) return true;
    const route = this.route as ActiveRoute;
    if (status < 200) {
      this.informational(status, raw);
      return true;
    }
    this.responded = true;
    this.status = status;
    const { headers, contentLength } = copyOutbound(raw);
    if (route.outbound.length > 0) applyHeaderActions(headers, route.outbound);
    headers.push('x-certgate-request-id', this.id);
    const bodiless = status === 204 || status === 304 || this.req.method === 'HEAD';
    // Content-Length is ours to send: the verified one, except where a 204 may have none (RFC 9110 8.6).
    if (contentLength !== null && status !== 204) headers.push('Content-Length', contentLength);
    this.remaining = bodiless ? 0 : contentLength === null ? -1 : Number(contentLength);
    // The reason phrase means nothing (RFC 9112 4): relayed when it is plain text, else node:http's own.
    this.reason = PLAIN_REASON.test(statusText) ? statusText : '';
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.discarding || this.res.destroyed) return true;
    if (!this.headWritten) {
      if (!this.writeHead()) return true;
      if (this.remaining === chunk.length) {
        // The usual small answer, complete: head and body in one write (latin1 keeps every byte).
        this.remaining = 0;
        if (chunk.length <= SINGLE_WRITE_LIMIT) this.res.end(chunk.toString('latin1'), 'latin1');
        else this.res.end(chunk);
        return true;
      }
    }
    if (this.remaining > 0) this.remaining -= chunk.length;
    if (this.res.write(chunk)) return true;
    this.res.once('drain', onClientDrain);
    return false;
  }

  onComplete(): void {
    this.settled = true;
    if (this.discarding) {
      this.proxy.drained(this);
      return;
    }
    if (!this.headWritten && !this.writeHead()) return;
    if (!this.res.writableEnded) this.res.end();
  }

  onError(err: Error): void {
    this.settled = true;
    if (this.discarding) {
      this.proxy.drained(this);
      return;
    }
    this.proxy.upstreamFailed(this, err);
  }

  onUpgrade(): void {
    // Only WebSocket calls ask for an upgrade; they have their own handler (websocket.ts).
    this.abort?.(new Error('unexpected upgrade'));
  }

  /**
   * A 1xx before the answer. 100 Continue is the gateway's own business with the client (the Expect header
   * is not forwarded); 102 and 103 are forwarded; other 1xx codes have no meaning to relay.
   */
  private informational(status: number, raw: Buffer[]): void {
    if (this.res.headersSent || this.res.destroyed) return;
    if (status === 102) this.res.writeProcessing();
    else if (status === 103) {
      const { headers } = copyOutbound(raw);
      const hints: Record<string, string | string[]> = {};
      for (let i = 0; i < headers.length; i += 2) {
        const name = (headers[i] as string).toLowerCase();
        const value = headers[i + 1] as string;
        const prev = hints[name];
        hints[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
      }
      if (hints.link !== undefined) this.res.writeEarlyHints(hints as { link: string | string[] });
    }
  }

  /** Write the held head. False when node:http refused it (the call has then been answered 502). */
  private writeHead(): boolean {
    this.headWritten = true;
    try {
      this.res.writeHead(this.status, this.reason === '' ? undefined : this.reason, this.headers as string[]);
      return true;
    } catch (err) {
      this.headWritten = false;
      this.abort?.();
      this.proxy.fail(this, 502, 'backend-malformed', `The back end's answer could not be relayed: ${(err as Error).message}`);
      return false;
    }
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
  /** Calls whose client has gone, their answer read to its end (at most drainLimitMs) to keep the connection. */
  private readonly draining = new Set<Call>();
  private readonly drainLimitMs: number;
  private readonly idPrefix: string;
  private counter = 0;

  constructor(
    private readonly host: ProxyHost,
    backendTimeoutMs: number,
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
      this.forward(call);
    } catch (err) {
      // A bug, not an expected failure: answer 502 rather than crash or hang.
      this.fail(call, 502, 'internal', `The gateway failed to forward the call: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /** Choose the route (the one place that does), build the back-end request, dispatch it. */
  private forward(call: Call): void {
    const target = originForm(call.req.url);
    if (target === null) return this.fail(call, 400, 'validation', 'The request target is not a path.');
    const match = matchRoute(this.host.config().table, target);
    if (match === null) return this.fail(call, 404, 'no-route', `No API is published at ${target.split('?')[0] ?? ''}.`);
    const route = match.route;
    call.route = route;
    const q = match.rest.indexOf('?');
    if (mayEscapeServicePath(q === -1 ? match.rest : match.rest.slice(0, q))) {
      return this.fail(call, 400, 'validation', 'The path may not contain "." or ".." segments, plain or encoded, nor encoded or back slashes next to them.');
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
    };
    call.pool = route.pool;
    route.pool.acquire();
    this.send(call);
  }

  /** Send (or re-send) the call to its back end. */
  private send(call: Call): void {
    const request = call.request as UpstreamRequest;
    call.abort = null;
    call.handshake = null;
    (call.pool as UpstreamPool).dispatcher.dispatch(
      {
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.hasBody ? call.req : null,
      },
      call,
    );
  }

  /** Answer with a JSON error (or cut the answer if it has started) and remember the code. */
  fail(call: Call, status: number, code: ErrorCode, message: string): void {
    call.errorCode = code;
    const res = call.res;
    if (call.headWritten || res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    call.status = status;
    const body = JSON.stringify({ error: { code, message, api: call.route?.apiId ?? null, requestId: call.id } });
    // The reason phrase is given each time: a back end's refused one must not be reused by node:http.
    res.writeHead(status, STATUS_CODES[status] ?? 'Error', [
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
  upstreamFailed(call: Call, err: Error): void {
    // Done, or already answered (a head node:http refused): nothing more to say.
    if (call.done || call.errorCode !== null) return;
    const request = call.request as UpstreamRequest | null;
    const code = (err as { code?: unknown }).code;
    if (request === null || code === 'UND_ERR_INVALID_ARG') {
      // undici refused the request itself (e.g. a character it will not send in the path).
      return this.fail(call, 400, 'validation', `The request cannot be forwarded: ${err.message}`);
    }
    if (
      !call.retried &&
      !call.responded &&
      call.handshake === 'reused' &&
      !request.hasBody &&
      IDEMPOTENT.has(request.method) &&
      typeof code === 'string' &&
      STALE_CONNECTION.has(code)
    ) {
      // The keep-alive race: the back end closed an idle connection as we reused it. Nothing was answered,
      // the method is idempotent and there is no body to replay, so sending it once more is safe.
      call.retried = true;
      call.settled = false;
      this.send(call);
      return;
    }
    const failure = classifyBackendError(call.pool?.explain(err) ?? err, {
      clientCertificatePresented: call.route?.config.clientCertificate != null,
      closedRightAfterHandshake: call.handshake === 'new' && !call.responded,
    });
    call.handshake ??= 'new';
    this.fail(call, failure.status, failure.code, failure.message);
  }

  /** A discarded answer is over: its connection is free again (or was closed). */
  drained(call: Call): void {
    this.draining.delete(call);
    call.pool?.release();
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
    const pool = call.pool;
    const complete = call.res.writableFinished;
    if (pool !== null && !call.settled) {
      if (!complete && call.req.complete) {
        // The client left first: read the rest of the back end's answer (bounded) to keep its connection.
        call.discarding = true;
        call.drainDeadline = performance.now() + this.drainLimitMs;
        this.draining.add(call);
        call.resumeBackend?.();
      } else {
        // The request body was not all sent (or the answer is already out): the connection cannot be kept.
        if (!complete) call.abort?.();
        pool.release();
      }
    } else {
      pool?.release();
    }
    if (!complete && (call.status === 0 || call.errorCode === null)) call.status = CLIENT_CLOSED;
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

  /** Cut answers being discarded for longer than the drain limit (run from a timer). */
  sweep(now: number): void {
    for (const call of this.draining) if (now >= call.drainDeadline) call.abort?.();
  }

  /** Cut every call still in flight (at stop, after the grace period). */
  abortAll(): void {
    for (const call of [...this.inFlight]) call.res.destroy();
    for (const call of [...this.draining]) call.abort?.();
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
  this[CALL]?.resumeBackend?.();
}
