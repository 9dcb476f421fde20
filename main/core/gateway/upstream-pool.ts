/**
 * One keep-alive connection pool per (API, back end, client certificate, trust settings). The TLS secure
 * context is built once here, never per connection; every new connection's handshake is counted, and TLS
 * sessions are resumed. A pool replaced by a configuration change is retired: idle connections close at
 * once, the others when their exchange ends.
 */
import { createHash } from 'node:crypto';
import net, { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { type TLSSocket } from 'node:tls';
import type { Readable } from 'node:stream';
import { Conn, Exchange, type ConnOwner, type ExchangeHandler, type ExchangeRequest } from './upstream-exchange';
import type { RouteConfig } from './types';

/** Handshake counters shared by every pool of a gateway. */
export interface HandshakeCounters {
  /** Completed TLS handshakes with back ends (one per new connection). */
  handshakes: number;
  /** Of which resumed a TLS session (abbreviated handshake). */
  resumed: number;
}

/** The back end a route points at, parsed once per configuration. */
export interface UpstreamTarget {
  readonly secure: boolean;
  /** Host name for DNS / connect (IPv6 without brackets). */
  readonly hostname: string;
  readonly port: number;
  /** Host header value (`host[:port]` as in the service URL). */
  readonly hostHeader: string;
  /** Service URL path without trailing slash ('' for the root); a query in the service URL is not used. */
  readonly basePath: string;
  /** SNI name: the host name, or '' for an IP address (no SNI). */
  readonly servername: string;
}

/** Parse a route's service URL. Throws on a URL that is not absolute http(s). */
export function parseTarget(serviceUrl: string): UpstreamTarget {
  const u = new URL(serviceUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`Unsupported service URL scheme ${u.protocol}`);
  const secure = u.protocol === 'https:';
  const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const path = u.pathname.replace(/\/+$/, '');
  return {
    secure,
    hostname,
    port: u.port === '' ? (secure ? 443 : 80) : Number(u.port),
    hostHeader: u.host,
    basePath: path,
    servername: isIP(hostname) === 0 ? hostname : '',
  };
}

/** The identity of a pool: routes with equal keys share connections across configuration changes. */
export function poolKey(route: RouteConfig, target: UpstreamTarget): string {
  const origin = `${target.secure ? 'https' : 'http'}://${target.hostHeader}`;
  if (!target.secure) return `${route.apiId}\n${origin}`;
  const ca = createHash('sha256');
  for (const pem of route.tls.caPems) ca.update(pem).update('\0');
  return [
    route.apiId,
    origin,
    route.clientCertificate?.thumbprint ?? '-',
    route.tls.validateCertificateChain ? 'chain' : 'no-chain',
    route.tls.validateCertificateName ? 'name' : 'no-name',
    ca.digest('hex'),
  ].join('\n');
}

const NO_IDENTITY_CHECK = (): undefined => undefined;
/** Keep-alive hints below this leave no safe margin: such connections are not reused. */
const HINT_MARGIN_MS = 1000;

/** Options every pool shares. */
export interface PoolOptions {
  /** Idle keep-alive connections close after this long. */
  readonly idleSocketTimeoutMs: number;
  readonly counters: HandshakeCounters;
}

/** A route's connection pool. */
export class UpstreamPool implements ConnOwner {
  /** Completed handshakes of this pool's connections. */
  handshakes = 0;
  private readonly idle: Conn[] = [];
  private readonly conns = new Set<Conn>();
  private readonly connect: () => net.Socket;
  private readonly secure: boolean;
  /** Chain validation off, name validation on: check the name ourselves before sending anything. */
  private readonly checkNameOnly: boolean;
  private session: Buffer | undefined;
  private inFlight = 0;
  private retired = false;

  constructor(
    readonly key: string,
    route: RouteConfig,
    private readonly target: UpstreamTarget,
    private readonly options: PoolOptions,
  ) {
    this.secure = target.secure;
    this.checkNameOnly = target.secure && !route.tls.validateCertificateChain && route.tls.validateCertificateName;
    if (!target.secure) {
      this.connect = () => net.connect({ host: target.hostname, port: target.port });
      return;
    }
    const { validateCertificateChain: chain, validateCertificateName: name, caPems } = route.tls;
    const cert = route.clientCertificate;
    const secureContext = tls.createSecureContext({
      ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
      ...(chain && caPems.length > 0 ? { ca: [...tls.rootCertificates, ...caPems] } : {}),
    });
    const base: tls.ConnectionOptions = {
      host: target.hostname,
      port: target.port,
      secureContext,
      rejectUnauthorized: chain,
      ...(target.servername !== '' ? { servername: target.servername } : {}),
      ...(name ? {} : { checkServerIdentity: NO_IDENTITY_CHECK }),
    };
    this.connect = () => {
      const socket = tls.connect(this.session ? { ...base, session: this.session } : base);
      socket.on('session', (session: Buffer) => {
        this.session = session;
      });
      return socket;
    };
  }

  /**
   * Start an exchange on an idle connection (most recently used first) or a new one. The request is
   * written at once (TLS holds it until the handshake is done), or after our own name check when needed.
   */
  exchange(request: ExchangeRequest, handler: ExchangeHandler, body: Readable | null): Exchange {
    let conn = this.idle.pop();
    while (conn && (conn.socket.destroyed || !conn.socket.writable)) conn = this.idle.pop();
    const reused = conn !== undefined;
    if (conn) conn.socket.ref();
    else {
      const fresh = new Conn(this.connect(), this, this.options.idleSocketTimeoutMs);
      this.conns.add(fresh);
      if (this.secure) fresh.socket.once('secureConnect', () => this.secured(fresh));
      conn = fresh;
    }
    const exchange = new Exchange(conn, reused, handler, request);
    if (!reused && this.checkNameOnly) conn.socket.once('secureConnect', () => exchange.start(body));
    else exchange.start(body);
    return exchange;
  }

  exchangeDone(conn: Conn, reusable: boolean, keepAliveTimeoutMs: number | null): void {
    let keep = reusable && !this.retired;
    if (keep && keepAliveTimeoutMs !== null) {
      const limit = keepAliveTimeoutMs - HINT_MARGIN_MS;
      if (limit <= 0) keep = false;
      else if (limit < conn.idleTimeoutMs) conn.idleTimeoutMs = limit;
    }
    if (!keep) {
      conn.socket.destroy();
      return;
    }
    conn.socket.unref();
    conn.idleSince = performance.now();
    this.idle.push(conn);
  }

  /** Close connections idle for longer than their timeout (run from the gateway's timer). */
  sweepIdle(now: number): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const conn = this.idle[i] as Conn;
      if (now - conn.idleSince >= conn.idleTimeoutMs) {
        this.idle.splice(i, 1);
        conn.socket.destroy();
      }
    }
  }

  connClosed(conn: Conn): void {
    this.conns.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
  }

  /** A request starts on this pool. */
  acquire(): void {
    this.inFlight++;
  }

  /** A request on this pool has ended; the last one out closes a retired pool. */
  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight <= 0) this.destroy();
  }

  /** No new request will use this pool: close idle connections now, the rest when their requests end. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.inFlight <= 0) this.destroy();
    else for (const conn of this.idle.splice(0)) conn.socket.destroy();
  }

  /** Close every connection. */
  destroy(): void {
    this.idle.length = 0;
    for (const conn of this.conns) conn.socket.destroy();
  }

  /** Open connections: in use and idle (for status and leak checks). */
  socketCounts(): { active: number; idle: number; inFlight: number } {
    return { active: this.conns.size - this.idle.length, idle: this.idle.length, inFlight: this.inFlight };
  }

  private secured(conn: Conn): void {
    const socket = conn.socket as TLSSocket;
    conn.secured = true;
    this.options.counters.handshakes++;
    this.handshakes++;
    if (socket.isSessionReused()) this.options.counters.resumed++;
    if (this.checkNameOnly) {
      const err = tls.checkServerIdentity(this.target.servername || this.target.hostname, socket.getPeerCertificate());
      if (err) socket.destroy(err);
    }
  }
}
