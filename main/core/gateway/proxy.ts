/**
 * The proxy's hot path: choose the route (in `forward`, the one place that does), rewrite headers on raw
 * arrays, dispatch the call on the route's undici pool (call.ts relays the answer with back-pressure), and
 * answer failures as JSON. Each call is finished exactly once, when the client's side closes.
 *
 * Framing on the client side is ours: the back end's Content-Length (verified by llhttp) or chunked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '../../../preload/contract';
import type { ActiveConfig, ActiveRoute } from './active-routes';
import { Call, callOf, tagResponse, type CallOwner, type UpstreamRequest } from './call';
import { classifyBackendError } from './classify-backend-error';
import { applyHeaderActions, scanInbound, setHeader } from './headers';
import { matchOperation } from './route-table';
import { joinUpstreamPath, matchRoute, mayEscapeServicePath, originForm, type RouteMatch } from './router';
import type { LoggedCall } from './traffic-log';
import type { UpstreamPool } from './upstream-pool';
import { forwardUpgrade, type UpgradeHost } from './websocket';

/** Status recorded for a call whose client hung up before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;
/** RFC 9110 section 9.2.2: the methods a proxy may retry on its own. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Errors by which a reused connection turns out to have been closed by the back end. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Dispatch option for a HEAD: the connection stays in the pool (see `send`). */
const HEAD_KEEPS_CONNECTION = { reset: false } as const;



/** The outcome of routing a request: the back-end request, or the answer that refuses it. */
export type Resolved =
  | { readonly ok: true; readonly route: ActiveRoute; readonly request: UpstreamRequest }
  | {
      readonly ok: false;
      readonly route: ActiveRoute | null;
      /** The API refused, when it is known without a route (see `refusedApi`). */
      readonly apiId?: string;
      readonly status: number;
      readonly code: ErrorCode;
      readonly message: string;
    };

function refused(route: ActiveRoute | null, status: number, code: ErrorCode, message: string): Resolved {
  return { ok: false, route, status, code, message };
}

/**
 * The API a request is for when that API is not served (its stored policy does not parse, the vault is locked):
 * found when its path is a longer match than any served route's, so a call to it never reaches another API.
 */
function refusedApi(config: ActiveConfig, target: string, match: RouteMatch<ActiveRoute> | null): Resolved | null {
  const refusal = matchRoute(config.refusals, target);
  if (refusal === null || (match !== null && refusal.rest.length >= match.rest.length)) return null;
  const { apiId, code, status, message } = refusal.route;
  return { ok: false, route: null, apiId, status, code, message };
}

/** What the proxy reports to its owner. */
export interface ProxyHost {
  config(): ActiveConfig;
  /** Called once per call when it is over. */
  record(call: LoggedCall): void;
}

/** The request handler and the calls in flight. */
export class Proxy implements CallOwner, UpgradeHost {
  /** Calls in flight; removal swaps the last one into the hole (no Set churn on the hot path). */
  private readonly inFlight: Call[] = [];
  /** Calls whose client has gone, their answer read to its end (at most drainLimitMs) to keep the connection. */
  private readonly draining = new Set<Call>();
  /** WebSocket tunnels open now (closed at stop; a configuration change leaves them alone). */
  readonly tunnels = new Set<Duplex>();
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
    const call = new Call(this, this.nextId(), req, res, performance.now(), Date.now());
    tagResponse(res, call);
    call.slot = this.inFlight.push(call) - 1;
    res.on('close', onClientClose);
    try {
      this.forward(call);
    } catch (err) {
      // A bug, not an expected failure: answer 502 rather than crash or hang.
      this.fail(call, 502, 'internal', `The gateway failed to forward the call: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /** The `upgrade` listener of the gateway's HTTP server (WebSocket, see websocket.ts). */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    try {
      forwardUpgrade(this, req, socket, head);
    } catch {
      socket.destroy();
    }
  };

  /** Record a finished call in the traffic log. */
  record(call: LoggedCall): void {
    this.host.record(call);
  }

  /** Route the call and send it, or answer why not. */
  private forward(call: Call): void {
    const resolved = this.resolve(call.req);
    call.route = resolved.route;
    if (!resolved.ok) {
      call.apiId = resolved.apiId ?? null;
      return this.fail(call, resolved.status, resolved.code, resolved.message);
    }
    call.request = resolved.request;
    call.pool = resolved.route.pool;
    resolved.route.pool.acquire();
    this.send(call);
  }

  /**
   * Choose the route (the one place that does, for plain calls and WebSocket upgrades alike) and build the
   * back-end request: path joined to the service path, headers copied and rewritten by the route's policy.
   */
  resolve(req: IncomingMessage): Resolved {
    const target = originForm(req.url);
    if (target === null) return refused(null, 400, 'validation', 'The request target is not a path.');
    const config = this.host.config();
    const match = matchRoute(config.table, target);
    if (config.refusals.length > 0) {
      const refusal = refusedApi(config, target, match);
      if (refusal !== null) return refusal;
    }
    if (match === null) return refused(null, 404, 'no-route', `No API is published at ${target.split('?')[0] ?? ''}.`);
    let route = match.route;
    if (route.operations !== null) {
      const operation = matchOperation(route.operations, req.method ?? 'GET', match.rest);
      if (operation === null) {
        return refused(route, 404, 'no-operation', `No operation of the API "${route.apiId}" answers ${req.method ?? 'GET'} ${target.split('?')[0] ?? ''}.`);
      }
      route = operation;
    }
    const q = match.rest.indexOf('?');
    if (mayEscapeServicePath(q === -1 ? match.rest : match.rest.slice(0, q))) {
      return refused(route, 400, 'validation', 'The path may not contain "." or ".." segments, plain or encoded, nor encoded or back slashes next to them.');
    }
    const scan = scanInbound(req.rawHeaders);
    const headers = scan.headers;
    const remote = req.socket.remoteAddress ?? '';
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
    const request = { method: req.method ?? 'GET', path: joinUpstreamPath(route.target.basePath, match.rest), headers, hasBody: scan.hasBody };
    return { ok: true, route, request };
  }

  /** A fresh request id. */
  nextId(): string {
    return `${this.idPrefix}-${(++this.counter).toString(16).padStart(8, '0')}`;
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
        // undici closes the connection after a HEAD, against back ends that send a body anyway; such bytes can
        // only become the answer to the next call on this pool, which goes to the same back end (which could
        // answer it anything anyway). Keep the connection: llhttp reads the head's framing as it does for any.
        ...(request.method === 'HEAD' ? HEAD_KEEPS_CONNECTION : null),
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
    const body = JSON.stringify({ error: { code, message, api: call.route?.apiId ?? call.apiId, requestId: call.id } });
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
    this.record(call);
  }

  /** Cut answers being discarded for longer than the drain limit (run from a timer). */
  sweep(now: number): void {
    for (const call of this.draining) if (now >= call.drainDeadline) call.abort?.();
  }

  /** Cut every call still in flight (at stop, after the grace period). */
  abortAll(): void {
    for (const call of [...this.inFlight]) call.res.destroy();
    for (const call of [...this.draining]) call.abort?.();
    for (const tunnel of [...this.tunnels]) tunnel.destroy();
  }
}

function onClientClose(this: ServerResponse): void {
  const call = callOf(this);
  if (call) call.proxy.finish(call);
}
