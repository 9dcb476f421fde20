/**
 * One keep-alive connection pool per (API, back end, client certificate, trust settings). The TLS secure
 * context is built once here, never per connection; every new connection's handshake is counted.
 * A pool replaced by a configuration change is retired: idle sockets close at once, and the agent closes
 * when its last in-flight request ends.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
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

/** A keep-alive agent with a hook on every new TLS connection. */
class CountingAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly onSecureConnect: (socket: TLSSocket) => void,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback) as TLSSocket;
    socket.once('secureConnect', () => this.onSecureConnect(socket));
    return socket;
  }
}

/** Options every pool shares. */
export interface PoolOptions {
  /** Idle keep-alive connections close after this long. */
  readonly idleSocketTimeoutMs: number;
  readonly counters: HandshakeCounters;
}

/** A route's connection pool. */
export class UpstreamPool {
  readonly agent: http.Agent;
  readonly request: typeof http.request;
  /** Completed handshakes of this pool's connections. */
  handshakes = 0;
  private inFlight = 0;
  private retired = false;

  constructor(
    readonly key: string,
    route: RouteConfig,
    target: UpstreamTarget,
    options: PoolOptions,
  ) {
    const common = { keepAlive: true, timeout: options.idleSocketTimeoutMs, scheduling: 'lifo' as const };
    if (!target.secure) {
      this.agent = new http.Agent(common);
      this.request = http.request;
      return;
    }
    const { validateCertificateChain: chain, validateCertificateName: name, caPems } = route.tls;
    const cert = route.clientCertificate;
    const secureContext = tls.createSecureContext({
      ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
      ...(chain && caPems.length > 0 ? { ca: [...tls.rootCertificates, ...caPems] } : {}),
    });
    // With chain validation off Node skips the name check too: do it here when it is still wanted.
    const checkNameOnly = !chain && name;
    const counters = options.counters;
    this.agent = new CountingAgent(
      {
        ...common,
        secureContext,
        rejectUnauthorized: chain,
        servername: target.servername,
        ...(name ? {} : { checkServerIdentity: NO_IDENTITY_CHECK }),
      },
      (socket) => {
        counters.handshakes++;
        this.handshakes++;
        if (socket.isSessionReused()) counters.resumed++;
        if (checkNameOnly) {
          const err = tls.checkServerIdentity(target.servername || target.hostname, socket.getPeerCertificate());
          if (err) socket.destroy(err);
        }
      },
    );
    this.request = https.request as typeof http.request;
  }

  /** A request starts on this pool. */
  acquire(): void {
    this.inFlight++;
  }

  /** A request on this pool has ended; the last one out closes a retired pool. */
  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight <= 0) this.agent.destroy();
  }

  /** No new request will use this pool: close idle connections now, the rest when their requests end. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.inFlight <= 0) {
      this.agent.destroy();
      return;
    }
    for (const list of Object.values(this.agent.freeSockets)) for (const s of list ?? []) s.destroy();
  }

  /** Open connections: in use and idle (for status and leak checks). */
  socketCounts(): { active: number; idle: number; inFlight: number } {
    const count = (d: NodeJS.ReadOnlyDict<Socket[]>): number => Object.values(d).reduce((n, l) => n + (l?.length ?? 0), 0);
    return { active: count(this.agent.sockets), idle: count(this.agent.freeSockets), inFlight: this.inFlight };
  }
}
