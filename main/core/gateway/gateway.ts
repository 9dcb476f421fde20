/**
 * The embedded API gateway: an HTTP listener on loopback that forwards `/{path}/{rest}` to each API's back
 * end with its policies (client certificate, basic auth, headers), keeps recent calls in a bounded log, and
 * swaps its configuration live. See DESIGN.md "Gateway".
 *
 * Clients are served by node:http (HTTP/1.1). Back ends are reached through undici (llhttp, Node's own
 * HTTP client): one Pool per (API, certificate, trust settings) with our TLS connector (upstream-pool.ts),
 * HTTP/1.1 or HTTP/2 as the back end picks by ALPN. The protocol is undici's; what is ours is routing,
 * policies, header rules, error classification, live swap, the traffic log and handshake counting.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fail, ok, type GatewayStatus, type Result, type TestCallResult, type TrafficEntry } from '../../../preload/contract';
import { activateConfig, EMPTY_CONFIG, type ActiveConfig, type RouteProblem } from './active-routes';
import { Proxy } from './proxy';
import { sendTestCall, testCallPath } from './test-call';
import { TrafficLog, type LoggedCall } from './traffic-log';
import type { GatewayConfig, GatewayDriver } from './types';
import type { HandshakeCounters, PoolOptions, UpstreamPool } from './upstream-pool';

/** How a gateway is set up. */
export interface GatewayOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port; default 8787; 0 picks a free one. */
  readonly port?: number;
  /** A back end silent for this long gets a 504 `backend-timeout`; default 60,000 ms. */
  readonly backendTimeoutMs?: number;
  /** Calls kept in the traffic log; default 1,000. */
  readonly trafficLogSize?: number;
  /** Idle back-end connections close after this long; default 30,000 ms. */
  readonly idleSocketTimeoutMs?: number;
  /** Back-end connections per pool (one pool per API, certificate and trust settings); default 256. */
  readonly connectionsPerPool?: number;
  /** Client connections open at once; more are refused at accept; default 1,024. */
  readonly maxClientConnections?: number;
  /** Largest client request head (bytes); larger is answered 431 by node:http; default 16 KiB. */
  readonly maxRequestHeadSize?: number;
  /** Largest back-end response head (bytes); larger is a 502 `backend-malformed`; default 16 KiB. */
  readonly maxBackendHeadSize?: number;
  /** How long stop() lets calls in flight finish; default 5,000 ms. */
  readonly stopGraceMs?: number;
}

/** Connection figures for diagnostics and leak checks. */
export interface ConnectionStats {
  readonly backendHandshakes: number;
  readonly resumedHandshakes: number;
  /** Back-end sockets in use and idle, over current and retiring pools. */
  readonly backendSockets: { readonly active: number; readonly idle: number };
  /** Pools replaced by a configuration change whose last request has not ended yet. */
  readonly retiringPools: number;
  readonly inFlight: number;
}

/** The gateway (see GatewayDriver). */
export class Gateway implements GatewayDriver {
  private readonly host: string;
  private readonly port: number;
  private readonly backendTimeoutMs: number;
  private readonly poolOptions: PoolOptions;
  private readonly maxClientConnections: number;
  private readonly maxRequestHeadSize: number;
  private readonly stopGraceMs: number;
  private readonly log: TrafficLog;
  private readonly proxy: Proxy;
  private readonly handshakes: HandshakeCounters = { handshakes: 0, resumed: 0 };
  private readonly retiring = new Set<UpstreamPool>();
  private active: ActiveConfig = EMPTY_CONFIG;
  private problems: readonly RouteProblem[] = [];
  private server: http.Server | null = null;
  private state: GatewayStatus['state'] = 'stopped';
  private url: string | null = null;
  private boundPort = 0;
  private message: string | null = null;
  private startedAt: string | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private requests = 0;
  private errors = 0;
  private drained: (() => void) | null = null;

  constructor(options: GatewayOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 8787;
    this.backendTimeoutMs = options.backendTimeoutMs ?? 60_000;
    this.poolOptions = {
      idleSocketTimeoutMs: options.idleSocketTimeoutMs ?? 30_000,
      backendTimeoutMs: this.backendTimeoutMs,
      connectionsPerPool: options.connectionsPerPool ?? 256,
      maxBackendHeadSize: options.maxBackendHeadSize ?? 16 * 1024,
      counters: this.handshakes,
    };
    this.maxClientConnections = options.maxClientConnections ?? 1024;
    this.maxRequestHeadSize = options.maxRequestHeadSize ?? 16 * 1024;
    this.stopGraceMs = options.stopGraceMs ?? 5_000;
    this.log = new TrafficLog(options.trafficLogSize ?? 1000);
    this.proxy = new Proxy({ config: () => this.active, record: (call) => this.record(call) }, this.backendTimeoutMs);
  }

  /** Listen. A port in use (or any listen error) is a `gateway-unavailable` failure, not a throw. */
  async start(): Promise<Result<{ url: string }>> {
    if (this.server && this.url) return ok({ url: this.url });
    this.state = 'starting';
    this.message = null;
    const server = http.createServer({ keepAliveTimeout: 65_000, maxHeaderSize: this.maxRequestHeadSize }, this.proxy.handle);
    server.maxConnections = this.maxClientConnections;
    server.on('upgrade', this.proxy.handleUpgrade);
    // A listener error after start (rare) must never crash the process.
    server.on('error', (err) => {
      this.message = err.message;
    });
    const listened = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(this.port, this.host, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (listened) {
      this.state = 'failed';
      this.message =
        listened.code === 'EADDRINUSE'
          ? `Port ${this.port} on ${this.host} is already in use. Stop the program using it, or choose another gateway port.`
          : `The gateway could not listen on ${this.host}:${this.port} (${listened.code ?? listened.message}).`;
      return fail('gateway-unavailable', this.message);
    }
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
    this.state = 'running';
    this.startedAt = new Date().toISOString();
    const every = Math.max(10, Math.min(1000, Math.floor(this.backendTimeoutMs / 4)));
    this.sweeper = setInterval(() => this.proxy.sweep(performance.now()), every);
    this.sweeper.unref();
    return ok({ url: this.url });
  }

  /** Swap the configuration: the next request uses it; pools of unchanged routes are kept. */
  apply(config: GatewayConfig): void {
    const { active, unused, problems } = activateConfig(config, this.active, this.poolOptions);
    this.active = active;
    this.problems = problems;
    for (const pool of unused) {
      pool.retire();
      this.retiring.add(pool);
    }
    this.pruneRetiring();
  }

  /** State, counters and routes for the console. */
  status(): GatewayStatus {
    const problems = this.problems.map((p) => `${p.apiId}: ${p.message}`).join('; ');
    return {
      state: this.state,
      url: this.url,
      message: this.message ?? (problems === '' ? null : `Some APIs are not served: ${problems}`),
      startedAt: this.startedAt,
      counters: {
        requests: this.requests,
        errors: this.errors,
        inFlight: this.proxy.inFlightCount,
        backendHandshakes: this.handshakes.handshakes,
      },
      routes: [...this.active.byApiId.values()].map((r) => ({
        apiId: r.apiId,
        path: r.path,
        serviceUrl: r.config.serviceUrl,
        certificateId: r.certificateId,
      })),
    };
  }

  /** The most recent calls, newest last. */
  traffic(limit?: number): readonly TrafficEntry[] {
    return this.log.recent(limit);
  }

  /** Listen to each finished call. */
  onTraffic(listener: (entry: TrafficEntry) => void): () => void {
    return this.log.subscribe(listener);
  }

  /** Send one request through the gateway's own listener to an API. */
  async testCall(input: Parameters<GatewayDriver['testCall']>[0]): Promise<Result<TestCallResult>> {
    if (this.state !== 'running' || this.server === null) {
      return fail('gateway-unavailable', 'The gateway is not running. Start it, then try the test call again.');
    }
    const route = this.active.byApiId.get(input.apiId);
    if (!route) return fail('not-found', `The gateway does not serve an API with id "${input.apiId}".`);
    const host = this.host === '0.0.0.0' ? '127.0.0.1' : this.host === '::' ? '::1' : this.host;
    return sendTestCall(
      { host, port: this.boundPort, path: testCallPath(route.path, input.path), entryFor: (id) => this.entryFor(id) },
      input,
    );
  }

  /** Stop accepting, let calls in flight finish (up to stopGraceMs), then close every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.close();
    server.closeIdleConnections();
    if (this.proxy.inFlightCount > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.stopGraceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.drained = null;
    }
    this.proxy.abortAll();
    server.closeAllConnections();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const pool of [...this.active.pools.values(), ...this.retiring]) pool.destroy();
    this.retiring.clear();
    this.state = 'stopped';
    this.url = null;
    this.startedAt = null;
  }

  /** Back-end connection figures (diagnostics, tests, benchmark). */
  connectionStats(): ConnectionStats {
    this.pruneRetiring();
    let active = 0;
    let idle = 0;
    for (const pool of [...this.active.pools.values(), ...this.retiring]) {
      const c = pool.socketCounts();
      active += c.active;
      idle += c.idle;
    }
    return {
      backendHandshakes: this.handshakes.handshakes,
      resumedHandshakes: this.handshakes.resumed,
      backendSockets: { active, idle },
      retiringPools: this.retiring.size,
      inFlight: this.proxy.inFlightCount,
    };
  }

  /** Client connections open on the listener. */
  clientConnections(): Promise<number> {
    const server = this.server;
    if (!server) return Promise.resolve(0);
    return new Promise((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
  }

  private record(call: LoggedCall): void {
    this.requests++;
    if (call.errorCode !== null) this.errors++;
    this.log.add(call);
    if (this.drained && this.proxy.inFlightCount === 0) this.drained();
  }

  private pruneRetiring(): void {
    for (const pool of this.retiring) {
      const c = pool.socketCounts();
      if (c.inFlight <= 0 && c.active === 0 && c.idle === 0) this.retiring.delete(pool);
    }
  }

  private entryFor(requestId: string): Promise<TrafficEntry | null> {
    const found = this.log.find(requestId);
    if (found || requestId === '') return Promise.resolve(found);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(this.log.find(requestId));
      }, 2_000);
      const unsubscribe = this.log.subscribe((entry) => {
        if (entry.requestId !== requestId) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(entry);
      });
    });
  }
}
