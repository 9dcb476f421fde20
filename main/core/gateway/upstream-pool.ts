/**
 * One undici Pool per (API, back end, client certificate, trust settings). undici speaks HTTP (llhttp for
 * HTTP/1.1, node:http2 for HTTP/2 picked by ALPN); the connector is ours: the TLS secure context is built once
 * per pool, TLS sessions are resumed, every handshake is counted, and each new connection is marked so the
 * proxy knows whether a call ran on a new or a reused connection. A pool replaced by a configuration change
 * is retired: undici's close() lets its calls end, then closes its connections.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls, { type TLSSocket } from 'node:tls';
import { Pool, type Dispatcher } from 'undici';
import { BACKEND_TIMEOUT_CODE } from './classify-backend-error';
import { keepResponseRules } from './h1-rules';
import type { RouteConfig } from './types';
import type { UpstreamTarget } from './upstream-target';

/** Handshake counters shared by every pool of a gateway. */
export interface HandshakeCounters {
  /** Completed TLS handshakes with back ends (one per new connection). */
  handshakes: number;
  /** Of which resumed a TLS session (abbreviated handshake). */
  resumed: number;
}

/** The bounds and timeouts every pool shares (DESIGN.md "Gateway" names them). */
export interface PoolOptions {
  /** Idle keep-alive connections close after this long (a shorter Keep-Alive hint, less 1 s, wins). */
  readonly idleSocketTimeoutMs: number;
  /** Connect + TLS handshake, the answer's head, and each silence within its body are bounded by this. */
  readonly backendTimeoutMs: number;
  /** Connections per pool; calls beyond wait in the pool's queue. */
  readonly connectionsPerPool: number;
  /** The largest back-end response head accepted (bytes); larger is a 502 `backend-malformed`. */
  readonly maxBackendHeadSize: number;
  readonly counters: HandshakeCounters;
}

const NO_IDENTITY_CHECK = (): undefined => undefined;
/** Keep-alive hints are trusted only with this margin (the back end's clock and ours race). */
const HINT_MARGIN_MS = 1000;

type ConnectCallback = (err: Error | null, socket: net.Socket | null) => void;

/**
 * Set while undici writes the requests that waited for a connection we just opened: a request whose
 * `onConnect` runs in that window is on a new connection, any other on a reused one. undici writes those
 * requests synchronously from the connector's callback (client.js `connect` -> `kResume`).
 */
let connecting = false;

/** True while the call being written is the first on a new connection (read from a handler's onConnect). */
export function onNewConnection(): boolean {
  return connecting;
}

/** A route's connection pool. */
export class UpstreamPool {
  /** Completed handshakes of this pool's connections. */
  handshakes = 0;
  /** The pool calls go through (HTTP/2 when the back end picks it by ALPN). */
  readonly dispatcher: Pool;
  private upgrades: Pool | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** TLS errors of open (or just closed) connections by local port: see `explain()`. */
  private readonly tlsErrors = new Map<number, Error>();
  private readonly connectFn: (callback: ConnectCallback) => void;
  private readonly poolOptions: Pool.Options;
  private readonly origin: string;
  private inFlight = 0;
  private retired = false;

  constructor(
    readonly key: string,
    route: RouteConfig,
    target: UpstreamTarget,
    private readonly options: PoolOptions,
  ) {
    this.origin = target.origin;
    this.connectFn = target.secure ? this.tlsConnector(route, target) : this.tcpConnector(target);
    const connect = (_opts: unknown, callback: ConnectCallback): void => this.connectFn(callback);
    this.poolOptions = {
      connect: connect as unknown as Pool.Options['connect'],
      connections: options.connectionsPerPool,
      pipelining: 1,
      keepAliveTimeout: options.idleSocketTimeoutMs,
      keepAliveMaxTimeout: options.idleSocketTimeoutMs,
      keepAliveTimeoutThreshold: HINT_MARGIN_MS,
      headersTimeout: options.backendTimeoutMs,
      bodyTimeout: options.backendTimeoutMs,
      maxHeaderSize: options.maxBackendHeadSize,
      strictContentLength: true,
    };
    this.dispatcher = new Pool(target.origin, { ...this.poolOptions, allowH2: target.secure });
  }

  /** The pool for WebSocket upgrades: HTTP/1.1 only (an upgrade does not exist in HTTP/2), same connector. */
  upgradeDispatcher(): Dispatcher {
    this.upgrades ??= new Pool(this.origin, { ...this.poolOptions, allowH2: false });
    return this.upgrades;
  }

  /** A call starts on this pool. */
  acquire(): void {
    this.inFlight++;
  }

  /** A call on this pool has ended; the last one out closes a retired pool. */
  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight <= 0) this.close();
  }

  /** No new call will use this pool: it closes once its calls have ended. WebSockets already open stay. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.inFlight <= 0) this.close();
  }

  /** Close every connection now (gateway stop). */
  destroy(): void {
    void this.dispatcher.destroy().catch(() => undefined);
    void this.upgrades?.destroy().catch(() => undefined);
    for (const socket of this.sockets) socket.destroy();
  }

  /** A connection became a WebSocket tunnel: it is no longer the pool's (the proxy closes it at stop). */
  detach(socket: Duplex): void {
    this.sockets.delete(socket as net.Socket);
  }

  /** Open connections, in use and idle, and calls in flight (for status and leak checks). */
  socketCounts(): { active: number; idle: number; inFlight: number } {
    const idle = this.dispatcher.destroyed ? 0 : Math.min(this.dispatcher.stats.free, this.sockets.size);
    return { active: this.sockets.size - idle, idle, inFlight: this.inFlight };
  }

  /**
   * The error that explains a failed call: a TLS alert the back end sent after the handshake (TLS 1.3 sends
   * its refusal of our certificate then) reaches undici as "other side closed"; the alert itself was seen
   * by our connector, and says more.
   */
  explain(err: Error): Error {
    const port = (err as { socket?: { localPort?: unknown } }).socket?.localPort;
    if (typeof port !== 'number' || this.tlsErrors.size === 0) return err;
    const tlsError = this.tlsErrors.get(port);
    if (tlsError === undefined) return err;
    this.tlsErrors.delete(port);
    return tlsError;
  }

  private close(): void {
    void this.dispatcher.close().catch(() => undefined);
    void this.upgrades?.close().catch(() => undefined);
  }

  /** Hand a connected socket to undici, marking the requests it writes at once as on a new connection. */
  private connected(socket: net.Socket, callback: ConnectCallback): void {
    connecting = true;
    try {
      callback(null, socket);
    } finally {
      connecting = false;
    }
    // undici has made its HTTP/1.1 parser for the socket by now (client.js connects synchronously).
    keepResponseRules(socket);
  }

  private track(socket: net.Socket, callback: ConnectCallback, readyEvent: string): void {
    this.sockets.add(socket);
    let port = -1;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (port !== -1 && (code.startsWith('ERR_SSL_') || code === 'EPROTO') && !this.tlsErrors.has(port)) this.tlsErrors.set(port, err);
    });
    socket.once('close', () => {
      this.sockets.delete(socket);
      // undici fails the call from its own close listener, after this one: keep the error until then.
      if (port !== -1 && this.tlsErrors.has(port)) setImmediate(() => this.tlsErrors.delete(port));
    });
    let settled = false;
    const timer = setTimeout(() => {
      socket.destroy(Object.assign(new Error('The back end did not accept the connection in time.'), { code: BACKEND_TIMEOUT_CODE }));
    }, this.options.backendTimeoutMs);
    const onError = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      callback(err, null);
    };
    socket.once('error', onError);
    socket.once(readyEvent, () => {
      // Destroyed by our own name check: the error it was given settles the connect.
      if (settled || socket.destroyed) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      port = socket.localPort ?? -1;
      socket.setNoDelay(true);
      this.connected(socket, callback);
    });
  }

  private tcpConnector(target: UpstreamTarget): (callback: ConnectCallback) => void {
    return (callback) => this.track(net.connect({ host: target.hostname, port: target.port }), callback, 'connect');
  }

  private tlsConnector(route: RouteConfig, target: UpstreamTarget): (callback: ConnectCallback) => void {
    const { validateCertificateChain: chain, validateCertificateName: name, caPems } = route.tls;
    const cert = route.clientCertificate;
    // Built once per pool: every connection shares it (no key parsing per handshake).
    const secureContext = tls.createSecureContext({
      ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
      ...(chain && caPems.length > 0 ? { ca: [...tls.rootCertificates, ...caPems] } : {}),
    });
    // Chain validation off, name validation on: OpenSSL checks nothing, so the name is checked here.
    const checkNameOnly = !chain && name;
    const base: tls.ConnectionOptions = {
      host: target.hostname,
      port: target.port,
      secureContext,
      rejectUnauthorized: chain,
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(target.servername !== '' ? { servername: target.servername } : {}),
      ...(name ? {} : { checkServerIdentity: NO_IDENTITY_CHECK }),
    };
    let session: Buffer | undefined;
    return (callback) => {
      const socket = tls.connect(session ? { ...base, session } : base);
      socket.on('session', (s: Buffer) => {
        session = s;
      });
      socket.once('secureConnect', () => {
        this.options.counters.handshakes++;
        this.handshakes++;
        if (socket.isSessionReused()) this.options.counters.resumed++;
        if (checkNameOnly) {
          const err = tls.checkServerIdentity(target.servername || target.hostname, (socket as TLSSocket).getPeerCertificate());
          if (err) socket.destroy(err);
        }
      });
      this.track(socket, callback, 'secureConnect');
    };
  }
}

