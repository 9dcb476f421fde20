/**
 * The gateway as the core sees it (`GatewayDriver`), running in an Electron utility process. Status and
 * traffic are cached from what the process pushes, so the core's synchronous calls never wait on it. If the
 * process dies it is started again after a growing delay, and the last configuration is applied again.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { fail, type GatewayStatus, type Result, type TestCallResult, type TrafficEntry } from '../../preload/contract';
import type { GatewayConfig, GatewayDriver } from '../core/gateway/types';
import { isFromGateway, type FromGateway, type GatewayHostOptions, type TestCallInput, type ToGateway } from '../gateway-host/protocol';

/** How the gateway process is run and supervised. */
export interface GatewayProcessOptions {
  /** Absolute path of the built utility-process entry (out/main/gateway-host.js). */
  readonly modulePath: string;
  readonly gateway: GatewayHostOptions;
  /** Waits before each restart after a crash; the last one repeats. */
  readonly restartDelaysMs?: readonly number[];
  /** A process that ran this long before dying starts the backoff over. */
  readonly stableAfterMs?: number;
  /** How long `stop()` waits for a graceful drain before killing the process. */
  readonly stopTimeoutMs?: number;
  /** Told each time the status's state or message changes. */
  readonly onStateChange?: (status: GatewayStatus) => void;
}

type Phase = 'idle' | 'starting' | 'running' | 'failed' | 'restarting' | 'stopping' | 'stopped';

const DEFAULT_RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000] as const;
const TRAFFIC_LOG_SIZE = 1000;

function initialStatus(): GatewayStatus {
  return {
    state: 'starting',
    url: null,
    message: null,
    startedAt: null,
    counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 },
    routes: [],
  };
}

/** A `GatewayDriver` whose gateway lives in a supervised utility process. */
export class GatewayProcess implements GatewayDriver {
  readonly #options: GatewayProcessOptions;
  #phase: Phase = 'idle';
  #child: UtilityProcess | null = null;
  #spawnedAt = 0;
  #crashes = 0;
  #restartTimer: ReturnType<typeof setTimeout> | null = null;
  #message: string | null = null;
  #status: GatewayStatus = initialStatus();
  #config: GatewayConfig | null = null;
  #traffic: TrafficEntry[] = [];
  readonly #listeners = new Set<(entry: TrafficEntry) => void>();
  readonly #pending = new Map<number, (message: FromGateway | null) => void>();
  #nextId = 1;
  #stopping: Promise<void> | null = null;
  #lastReported = '';

  constructor(options: GatewayProcessOptions) {
    this.#options = options;
  }

  /** Start the process (once; `ready` must have fired). */
  start(): void {
    if (this.#phase !== 'idle') return;
    this.#spawn();
  }

  apply(config: GatewayConfig): void {
    this.#config = config;
    if (this.#child) this.#post(this.#child, { type: 'apply', config });
  }

  status(): GatewayStatus {
    switch (this.#phase) {
      case 'running':
        return this.#status;
      case 'failed':
        return { ...this.#status, state: 'failed', message: this.#status.message ?? this.#message };
      case 'idle':
      case 'starting':
        return { ...this.#status, state: 'starting', url: null };
      case 'restarting':
        return { ...this.#status, state: 'failed', url: null, message: this.#message };
      case 'stopping':
      case 'stopped':
        return { ...this.#status, state: 'stopped', url: null, message: null };
    }
  }

  traffic(limit?: number): readonly TrafficEntry[] {
    return limit === undefined ? [...this.#traffic] : this.#traffic.slice(-Math.max(0, limit));
  }

  onTraffic(listener: (entry: TrafficEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  testCall(input: TestCallInput): Promise<Result<TestCallResult>> {
    const child = this.#child;
    if (!child || this.#phase !== 'running') {
      const why = this.status().message;
      return Promise.resolve(fail('gateway-unavailable', `The gateway is not running${why ? `: ${why}` : '.'} Try again in a moment.`));
    }
    const id = this.#nextId++;
    const timeoutMs = this.#options.gateway.backendTimeoutMs + 5000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(fail('gateway-unavailable', 'The gateway did not answer the test call in time. Try again.'));
      }, timeoutMs);
      this.#pending.set(id, (message) => {
        clearTimeout(timer);
        if (message?.type === 'testCallResult') resolve(message.result);
        else resolve(fail('gateway-unavailable', 'The gateway stopped while sending the test call. Try again in a moment.'));
      });
      this.#post(child, { type: 'testCall', id, input });
    });
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const child = this.#child;
    this.#setPhase('stopping');
    if (child) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, this.#options.stopTimeoutMs ?? 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        this.#post(child, { type: 'stop', id: this.#nextId++ });
      });
    }
    this.#child = null;
    this.#failPending();
    this.#setPhase('stopped');
  }

  #spawn(): void {
    this.#restartTimer = null;
    this.#status = initialStatus();
    this.#spawnedAt = Date.now();
    this.#setPhase('starting');
    let child: UtilityProcess;
    try {
      child = utilityProcess.fork(this.#options.modulePath, [], { serviceName: 'CertGate Gateway', stdio: 'inherit' });
    } catch (err) {
      this.#crashed(`it could not be started (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    this.#child = child;
    child.on('message', (message: unknown) => this.#onMessage(child, message));
    child.on('exit', (code: number) => this.#onExit(child, code));
    this.#post(child, { type: 'start', options: this.#options.gateway });
    if (this.#config) this.#post(child, { type: 'apply', config: this.#config });
  }

  #post(child: UtilityProcess, message: ToGateway): void {
    try {
      child.postMessage(message);
    } catch {
      // The process is going away; its 'exit' handler restarts it and re-applies the configuration.
    }
  }

  #onMessage(child: UtilityProcess, message: unknown): void {
    if (child !== this.#child || !isFromGateway(message)) return;
    switch (message.type) {
      case 'started':
        this.#status = message.status;
        this.#message = message.result.ok ? null : message.result.error.message;
        this.#setPhase(message.result.ok ? 'running' : 'failed');
        return;
      case 'status':
        this.#status = message.status;
        this.#report();
        return;
      case 'traffic':
        this.#status = message.status;
        this.#traffic.push(...message.entries);
        if (this.#traffic.length > TRAFFIC_LOG_SIZE) this.#traffic.splice(0, this.#traffic.length - TRAFFIC_LOG_SIZE);
        for (const entry of message.entries) {
          for (const listener of this.#listeners) {
            try {
              listener(entry);
            } catch {
              // One listener's bug must not stop the others from seeing the entry.
            }
          }
        }
        this.#report();
        return;
      case 'testCallResult':
      case 'stopped': {
        const settle = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        settle?.(message);
        return;
      }
    }
  }

  #onExit(child: UtilityProcess, code: number): void {
    if (child !== this.#child) return;
    this.#child = null;
    this.#failPending();
    if (this.#phase === 'stopping' || this.#phase === 'stopped') return;
    this.#crashed(`it exited with code ${code}`);
  }

  #crashed(why: string): void {
    if (Date.now() - this.#spawnedAt >= (this.#options.stableAfterMs ?? 30_000)) this.#crashes = 0;
    const delays = this.#options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    const delay = delays[Math.min(this.#crashes, delays.length - 1)] ?? 1000;
    this.#crashes += 1;
    this.#message = `The gateway process stopped unexpectedly (${why}). Restarting in ${Math.ceil(delay / 1000)} s.`;
    this.#setPhase('restarting');
    this.#restartTimer = setTimeout(() => this.#spawn(), delay);
  }

  #failPending(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const settle of pending) settle(null);
  }

  #setPhase(phase: Phase): void {
    this.#phase = phase;
    this.#report();
  }

  #report(): void {
    const status = this.status();
    const key = `${status.state}\u0000${status.url ?? ''}\u0000${status.message ?? ''}`;
    if (key === this.#lastReported) return;
    this.#lastReported = key;
    this.#options.onStateChange?.(status);
  }
}
