/**
 * The proxy's hot path on plain node:http/https: match the route, rewrite headers on raw arrays, stream the
 * body both ways with back-pressure, and answer failures as JSON. Event handlers are shared functions that
 * find their call through a symbol (no closures per request); each call is finished exactly once.
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ErrorCode, TrafficEntry } from '../../../preload/contract';
import type { ActiveConfig, ActiveRoute } from './active-routes';
import type { UpstreamPool } from './upstream-pool';
import { BACKEND_TIMEOUT_CODE, classifyBackendError } from './classify-backend-error';
import { applyHeaderActions, filterOutbound, scanInbound, setHeader } from './headers';
import { hasDotSegment, joinUpstreamPath, matchRoute, originForm } from './router';

const CALL = Symbol('certgate.call');
const OWNER = Symbol('certgate.proxy');
/** Status recorded for a call whose client hung up before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

type Tagged<T> = T & { [CALL]?: Call };

/** One call through the gateway, from the client's request to the end of the answer. */
class Call {
  route: ActiveRoute | null = null;
  /** The pool this call holds (released once when the call is over). */
  pool: UpstreamPool | null = null;
  upstreamReq: ClientRequest | null = null;
  upstreamRes: IncomingMessage | null = null;
  upstreamPath = '';
  upstreamHeaders: string[] = [];
  hasBody = false;
  status = 0;
  errorCode: ErrorCode | null = null;
  handshake: 'new' | 'reused' | null = null;
  retried = false;
  timedOut = false;
  done = false;
  lastActivity = -1;
  lastActivityAt: number;

  constructor(
    readonly id: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startedAt: number,
    readonly wallStart: number,
  ) {
    this.lastActivityAt = startedAt;
  }
}

/** What the proxy reports to its owner. */
export interface ProxyHost {
  config(): ActiveConfig;
  /** Called once per call when it is over. */
  record(entry: TrafficEntry): void;
}

/** The request handler and the calls in flight. */
export class Proxy {
  private readonly inFlight = new Set<Call>();
  private readonly idPrefix: string;
  private counter = 0;

  constructor(
    private readonly host: ProxyHost,
    private readonly backendTimeoutMs: number,
  ) {
    this.idPrefix = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  }

  /** Calls not finished yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** The `request` listener of the gateway's HTTP server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const id = `${this.idPrefix}-${(++this.counter).toString(16).padStart(8, '0')}`;
    const call = new Call(id, req, res, performance.now(), Date.now());
    (res as Tagged<ServerResponse>)[CALL] = call;
    this.inFlight.add(call);
    (res as Tagged<ServerResponse> & { [OWNER]?: Proxy })[OWNER] = this;
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
    call.upstreamHeaders = headers;
    call.upstreamPath = joinUpstreamPath(route.target.basePath, match.rest);
    call.hasBody = scan.hasBody;
    call.pool = route.pool;
    route.pool.acquire();
    this.send(call);
  }

  /** Send (or re-send) the call to its back end. */
  private send(call: Call): void {
    const route = call.route as ActiveRoute;
    const upstream = route.pool.request({
      agent: route.pool.agent,
      host: route.target.hostname,
      port: route.target.port,
      method: call.req.method,
      path: call.upstreamPath,
      headers: call.upstreamHeaders,
    }) as Tagged<ClientRequest>;
    upstream[CALL] = call;
    call.upstreamReq = upstream;
    call.lastActivity = -1;
    call.lastActivityAt = performance.now();
    upstream.on('response', onUpstreamResponse);
    upstream.on('error', onUpstreamError);
    if (call.hasBody) call.req.pipe(upstream);
    else upstream.end();
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

  /** Called from the shared handlers: a back-end error before or during the answer. */
  upstreamFailed(call: Call, upstream: ClientRequest, err: unknown): void {
    if (call.done) return;
    const retryable =
      !call.retried && !call.timedOut && !call.hasBody && upstream.reusedSocket && call.upstreamRes === null && isReset(err);
    if (retryable) {
      // The keep-alive race: the back end closed an idle connection as we reused it. Nothing was answered
      // and the request has no body, so sending it again on a new connection is safe.
      call.retried = true;
      this.send(call);
      return;
    }
    const failure = classifyBackendError(call.timedOut ? { code: BACKEND_TIMEOUT_CODE } : err, {
      clientCertificatePresented: call.route?.config.clientCertificate != null,
    });
    if (call.handshake === null) call.handshake = upstream.reusedSocket ? 'reused' : upstream.socket ? 'new' : null;
    upstream.destroy();
    this.fail(call, failure.status, failure.code, failure.message);
  }

  /** The client's side is closed (answer complete or not): finish the call once. */
  finish(call: Call): void {
    if (call.done) return;
    call.done = true;
    this.inFlight.delete(call);
    const upstream = call.upstreamReq;
    if (!call.res.writableFinished) {
      if (call.status === 0 || call.errorCode === null) call.status = CLIENT_CLOSED;
      if (upstream && !upstream.destroyed) upstream.destroy();
    }
    call.pool?.release();
    const route = call.route;
    const url = call.req.url ?? '';
    const q = url.indexOf('?');
    this.host.record({
      requestId: call.id,
      time: new Date(call.wallStart).toISOString(),
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
    for (const call of this.inFlight) {
      const upstream = call.upstreamReq;
      if (upstream === null || call.timedOut) continue;
      const socket = upstream.socket;
      // Bytes moving either way, or a reply paused by a slow client, count as activity.
      const activity = socket ? socket.bytesRead + socket.bytesWritten : 0;
      if (activity !== call.lastActivity || call.upstreamRes?.isPaused()) {
        call.lastActivity = activity;
        call.lastActivityAt = now;
      } else if (now - call.lastActivityAt >= this.backendTimeoutMs) {
        call.timedOut = true;
        const err = Object.assign(new Error('The back end did not answer in time.'), { code: BACKEND_TIMEOUT_CODE });
        if (call.upstreamRes) this.upstreamFailed(call, upstream, err);
        else upstream.destroy(err);
      }
    }
  }

  /** Cut every call still in flight (at stop, after the grace period). */
  abortAll(): void {
    for (const call of this.inFlight) call.res.destroy();
  }
}

function isReset(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function ownerOf(res: ServerResponse): Proxy {
  return (res as Tagged<ServerResponse> & { [OWNER]: Proxy })[OWNER];
}

function onClientClose(this: ServerResponse): void {
  const call = (this as Tagged<ServerResponse>)[CALL];
  if (call) ownerOf(this).finish(call);
}

function onUpstreamError(this: Tagged<ClientRequest>, err: Error): void {
  const call = this[CALL];
  if (!call || call.upstreamReq !== this) return;
  ownerOf(call.res).upstreamFailed(call, this, err);
}

function onUpstreamResponse(this: Tagged<ClientRequest>, upstreamRes: IncomingMessage): void {
  const call = this[CALL];
  if (!call || call.upstreamReq !== this || call.done) {
    upstreamRes.destroy();
    return;
  }
  const route = call.route as ActiveRoute;
  call.upstreamRes = upstreamRes;
  call.handshake = this.reusedSocket ? 'reused' : 'new';
  call.status = upstreamRes.statusCode ?? 502;
  const headers = filterOutbound(upstreamRes.rawHeaders);
  if (route.outbound.length > 0) applyHeaderActions(headers, route.outbound);
  headers.push('x-certgate-request-id', call.id);
  const res = call.res;
  try {
    res.writeHead(call.status, upstreamRes.statusMessage, headers);
  } catch (err) {
    upstreamRes.destroy();
    ownerOf(res).fail(call, 502, 'backend-reset', `The back end's answer could not be relayed: ${(err as Error).message}`);
    return;
  }
  (upstreamRes as Tagged<IncomingMessage>)[CALL] = call;
  upstreamRes.on('data', onUpstreamData);
  upstreamRes.on('end', onUpstreamEnd);
  upstreamRes.on('error', onUpstreamBodyError);
  upstreamRes.on('close', onUpstreamClose);
}

function onUpstreamData(this: Tagged<IncomingMessage>, chunk: Buffer): void {
  const call = this[CALL] as Call;
  if (!call.res.write(chunk)) {
    this.pause();
    call.res.once('drain', onClientDrain);
  }
}

function onClientDrain(this: Tagged<ServerResponse>): void {
  this[CALL]?.upstreamRes?.resume();
}

function onUpstreamEnd(this: Tagged<IncomingMessage>): void {
  (this[CALL] as Call).res.end();
}

function onUpstreamBodyError(this: Tagged<IncomingMessage>, err: Error): void {
  const call = this[CALL] as Call;
  if (call.done || call.res.writableEnded) return;
  const upstream = call.upstreamReq;
  if (upstream) ownerOf(call.res).upstreamFailed(call, upstream, err);
}

function onUpstreamClose(this: Tagged<IncomingMessage>): void {
  const call = this[CALL] as Call;
  if (this.complete || call.done || call.res.writableEnded) return;
  const upstream = call.upstreamReq;
  const err = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
  if (upstream) ownerOf(call.res).upstreamFailed(call, upstream, err);
}
