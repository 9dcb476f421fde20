/**
 * The utility-process side of the gateway protocol: runs the core's Gateway and answers the main process.
 * Traffic entries are batched (one message per `flushMs`), so a burst of calls costs the main process a
 * handful of messages instead of one per request.
 */
import { fail, type Result, type TestCallResult, type TrafficEntry } from '../../preload/contract';
import type { GatewayDriver } from '../core/gateway/types';
import { isToGateway, type FromGateway, type GatewayHostOptions } from './protocol';

/** The core's Gateway as this endpoint uses it. */
export interface HostedGateway extends GatewayDriver {
  start(): Promise<Result<{ readonly url: string }>>;
}

/** `process.parentPort` in a utility process (a fake in tests). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** How the endpoint is wired. */
export interface EndpointOptions {
  readonly port: ParentPortLike;
  readonly createGateway: (options: GatewayHostOptions) => HostedGateway;
  readonly exit: (code: number) => void;
  readonly flushMs?: number;
  /** How often the status is re-sent when it changed without traffic (in-flight counters). */
  readonly statusMs?: number;
}

const MAX_PENDING_ENTRIES = 5000;

/** The gateway's answer to a test call; a throw (a bug) becomes `internal`. */
async function testCall(gateway: HostedGateway, input: Parameters<HostedGateway['testCall']>[0]): Promise<Result<TestCallResult>> {
  try {
    return await gateway.testCall(input);
  } catch {
    return fail('internal', 'The gateway hit an unexpected problem sending the test call. Please report it.');
  }
}

/** Serve the gateway over `port` until a `stop` message. */
export function serveGateway(options: EndpointOptions): void {
  const { port } = options;
  const flushMs = options.flushMs ?? 100;
  const post = (message: FromGateway) => port.postMessage(message);
  let resolveGateway: (gateway: HostedGateway) => void = () => {};
  const ready = new Promise<HostedGateway>((resolve) => {
    resolveGateway = resolve;
  });
  let started = false;
  let pending: TrafficEntry[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastStatus = '';

  const flush = (gateway: HostedGateway) => {
    flushTimer = null;
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    const status = gateway.status();
    lastStatus = JSON.stringify(status);
    post({ type: 'traffic', entries, status });
  };
  const postStatus = (gateway: HostedGateway) => {
    const status = gateway.status();
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    post({ type: 'status', status });
  };

  const start = async (hostOptions: GatewayHostOptions) => {
    const gateway = options.createGateway(hostOptions);
    gateway.onTraffic((entry) => {
      pending.push(entry);
      if (pending.length > MAX_PENDING_ENTRIES) pending.splice(0, pending.length - MAX_PENDING_ENTRIES);
      flushTimer ??= setTimeout(() => flush(gateway), flushMs);
    });
    const result = await gateway.start();
    const status = gateway.status();
    lastStatus = JSON.stringify(status);
    post({ type: 'started', result, status });
    setInterval(() => postStatus(gateway), options.statusMs ?? 1000).unref?.();
    resolveGateway(gateway);
  };

  port.on('message', ({ data }) => {
    if (!isToGateway(data)) return;
    switch (data.type) {
      case 'start':
        if (started) return;
        started = true;
        // A gateway that cannot even be built is a bug: exit, and the main process restarts us with backoff.
        start(data.options).catch(() => options.exit(1));
        return;
      case 'apply':
        void ready.then((gateway) => {
          gateway.apply(data.config);
          postStatus(gateway);
        });
        return;
      case 'testCall':
        void ready.then(async (gateway) => {
          post({ type: 'testCallResult', id: data.id, result: await testCall(gateway, data.input) });
        });
        return;
      case 'stop':
        void ready.then(async (gateway) => {
          if (flushTimer) clearTimeout(flushTimer);
          flush(gateway);
          await gateway.stop().catch(() => undefined);
          post({ type: 'stopped', id: data.id });
          options.exit(0);
        });
        return;
    }
  });
}
