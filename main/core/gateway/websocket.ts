/**
 * WebSocket upgrades through the gateway: the client's `Upgrade: websocket` request goes to the back end on
 * the route's HTTP/1.1 upgrade pool (same TLS connector, so the same client certificate), the back end's 101
 * is relayed, then bytes flow both ways until either side closes. The tunnel belongs to no pool: a saved
 * change leaves it open, and the next upgrade uses the new configuration. Each upgrade is one traffic entry.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '../../../preload/contract';
import type { ActiveRoute } from './active-routes';
import type { UpstreamRequest } from './call';
import { classifyBackendError } from './classify-backend-error';
import { applyHeaderActions, copyOutbound } from './headers';
import type { Resolved } from './proxy';
import type { LoggedCall } from './traffic-log';
import { onNewConnection } from './upstream-pool';

/** The most of a refusal's body (a back end answering the upgrade with, say, 401) the gateway relays. */
const REFUSAL_BODY_LIMIT = 64 * 1024;

/** What an upgrade needs from the proxy. */
export interface UpgradeHost {
  resolve(req: IncomingMessage): Resolved;
  nextId(): string;
  record(call: LoggedCall): void;
  /** Open tunnels, closed at stop. */
  readonly tunnels: Set<Duplex>;
}

/** Handle the HTTP server's `upgrade` event. */
export function forwardUpgrade(host: UpgradeHost, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => undefined);
  const call = new UpgradeCall(host, host.nextId(), req, socket, head);
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade !== 'websocket') return call.answer(501, 'validation', `The gateway passes WebSocket upgrades only, not "${upgrade}".`);
  const resolved = host.resolve(req);
  call.route = resolved.route;
  if (!resolved.ok) {
    call.apiId = resolved.apiId ?? null;
    return call.answer(resolved.status, resolved.code, resolved.message);
  }
  call.start(resolved.route, resolved.request);
}

/** One upgrade request: its undici handler, then the tunnel. */
class UpgradeCall implements Dispatcher.DispatchHandler {
  route: ActiveRoute | null = null;
  /** The API of an upgrade refused without a route (an API not served). */
  apiId: string | null = null;
  handshake: 'new' | 'reused' | null = null;
  status = 0;
  errorCode: ErrorCode | null = null;
  readonly startedAt = performance.now();
  readonly wallStart = Date.now();
  private refusal: { status: number; reason: string; headers: string[]; body: Buffer[]; size: number } | null = null;
  private released = false;
  private abort: ((err?: Error) => void) | null = null;

  constructor(
    private readonly host: UpgradeHost,
    readonly id: string,
    readonly req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
  ) {}

  start(route: ActiveRoute, request: UpstreamRequest): void {
    route.pool.acquire();
    // The client hanging up before the back end answered ends the attempt.
    this.socket.once('close', () => this.abort?.());
    route.pool.upgradeDispatcher().dispatch({ path: request.path, method: 'GET', headers: request.headers, upgrade: 'websocket' }, this);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.handshake = onNewConnection() ? 'new' : 'reused';
    if (this.socket.destroyed) abort();
  }

  onUpgrade(status: number, raw: Buffer[] | string[] | null, backend: Duplex): void {
    this.release();
    const route = this.route as ActiveRoute;
    const { headers } = copyOutbound(raw ?? []);
    if (route.outbound.length > 0) applyHeaderActions(headers, route.outbound);
    headers.push('Connection', 'Upgrade', 'Upgrade', 'websocket', 'x-certgate-request-id', this.id);
    const client = this.socket;
    route.pool.detach(backend);
    backend.on('error', () => undefined);
    if (client.destroyed) {
      backend.destroy();
      return;
    }
    client.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Switching Protocols'}\r\n${headLines(headers)}\r\n`, 'latin1');
    if (this.head.length > 0) backend.write(this.head);
    this.host.tunnels.add(client);
    const close = (): void => {
      this.host.tunnels.delete(client);
      client.destroy();
      backend.destroy();
    };
    client.once('close', close);
    backend.once('close', close);
    client.pipe(backend);
    backend.pipe(client);
    this.record(status, null);
  }

  onHeaders(status: number, raw: Buffer[], _resume: () => void, statusText: string): boolean {
    if (status < 200) return true;
    const { headers } = copyOutbound(raw);
    this.refusal = { status, reason: statusText, headers, body: [], size: 0 };
    return true;
  }

  onData(chunk: Buffer): boolean {
    const refusal = this.refusal;
    if (refusal === null) return true;
    refusal.size += chunk.length;
    if (refusal.size > REFUSAL_BODY_LIMIT) {
      this.abort?.(Object.assign(new Error('The back end refused the upgrade with an answer too large to relay.'), { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' }));
      return false;
    }
    refusal.body.push(chunk);
    return true;
  }

  /** The back end answered the upgrade with something other than 101: relay it, then close. */
  onComplete(): void {
    this.release();
    const refusal = this.refusal;
    if (refusal === null) return this.answer(502, 'backend-malformed', 'The back end answered the upgrade without a status.');
    const route = this.route as ActiveRoute;
    if (route.outbound.length > 0) applyHeaderActions(refusal.headers, route.outbound);
    refusal.headers.push('x-certgate-request-id', this.id);
    this.writeAndClose(refusal.status, refusal.headers, Buffer.concat(refusal.body));
    this.record(refusal.status, null);
  }

  onError(err: Error): void {
    this.release();
    if (this.socket.destroyed) return this.record(499, null);
    const failure = classifyBackendError(this.route?.pool.explain(err) ?? err, {
      clientCertificatePresented: this.route?.config.clientCertificate != null,
      closedRightAfterHandshake: this.handshake === 'new' && this.refusal === null,
    });
    this.handshake ??= 'new';
    this.answer(failure.status, failure.code, failure.message);
  }

  /** Answer the client with a JSON error and close. */
  answer(status: number, code: ErrorCode, message: string): void {
    const body = JSON.stringify({ error: { code, message, api: this.route?.apiId ?? this.apiId, requestId: this.id } });
    this.writeAndClose(status, ['Content-Type', 'application/json; charset=utf-8', 'Cache-Control', 'no-store', 'x-certgate-request-id', this.id], Buffer.from(body));
    this.record(status, code);
  }

  private writeAndClose(status: number, headers: string[], body: Buffer): void {
    if (this.socket.destroyed) return;
    headers.push('Content-Length', String(body.length), 'Connection', 'close');
    this.socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${headLines(headers)}\r\n`, 'latin1');
    this.socket.end(body);
  }

  private release(): void {
    if (this.released || this.route === null) return;
    this.released = true;
    this.route.pool.release();
  }

  private record(status: number, errorCode: ErrorCode | null): void {
    this.status = status;
    this.errorCode = errorCode;
    this.host.record(this);
  }
}

function headLines(headers: readonly string[]): string {
  let out = '';
  for (let i = 0; i < headers.length; i += 2) out += `${headers[i] as string}: ${headers[i + 1] as string}\r\n`;
  return out;
}
