import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayStatus, TrafficEntry } from '../../../preload/contract';
import type { GatewayConfig } from '../../../main/core/gateway/types';

/** A utility process: records what it is sent; the test plays the gateway's side. */
class FakeChild extends EventEmitter {
  readonly sent: { type: string; id?: number; [key: string]: unknown }[] = [];
  readonly kill = vi.fn(() => true);
  postMessage(message: { type: string }): void {
    this.sent.push(message);
  }
  reply(message: unknown): void {
    this.emit('message', message);
  }
}

const forked = vi.hoisted(() => ({ children: [] as unknown[], fail: false }));

vi.mock('electron', () => ({
  utilityProcess: {
    fork: vi.fn(() => {
      if (forked.fail) throw new Error('spawn failed');
      const child = new FakeChild();
      forked.children.push(child);
      return child;
    }),
  },
}));

const { GatewayProcess } = await import('../../../main/shell/gateway-process');

const children = () => forked.children as FakeChild[];
const last = () => children()[children().length - 1] as FakeChild;

function status(over: Partial<GatewayStatus> = {}): GatewayStatus {
  return {
    state: 'running',
    url: 'http://127.0.0.1:8787',
    message: null,
    startedAt: '2025-01-01T00:00:00.000Z',
    counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 },
    routes: [],
    ...over,
  };
}

function entry(requestId: string): TrafficEntry {
  return {
    requestId,
    time: '2025-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/echo',
    apiId: 'echo',
    status: 200,
    durationMs: 3,
    certificateId: null,
    thumbprint: null,
    handshake: null,
    errorCode: null,
  };
}

const config: GatewayConfig = { routes: [] };
const options = { modulePath: '/app/out/main/gateway-host.js', gateway: { host: '127.0.0.1', port: 8787, backendTimeoutMs: 1000 } };

function started(child = last()) {
  child.reply({ type: 'started', result: { ok: true, value: { url: 'http://127.0.0.1:8787' } }, status: status() });
}

beforeEach(() => {
  forked.children = [];
  forked.fail = false;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('GatewayProcess', () => {
  it('starts the utility process, sends start then the configuration, and reports starting → running', () => {
    const states: string[] = [];
    const gateway = new GatewayProcess({ ...options, onStateChange: (s) => states.push(s.state) });
    gateway.apply(config);
    gateway.start();
    expect(last().sent).toEqual([
      { type: 'start', options: options.gateway },
      { type: 'apply', config },
    ]);
    expect(gateway.status()).toMatchObject({ state: 'starting', url: null });
    started();
    expect(gateway.status()).toMatchObject({ state: 'running', url: 'http://127.0.0.1:8787' });
    expect(states).toEqual(['starting', 'running']);
  });

  it('reports a gateway that could not listen as failed, with its message', () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    last().reply({
      type: 'started',
      result: { ok: false, error: { code: 'gateway-unavailable', message: 'Port 8787 is in use.' } },
      status: status({ state: 'failed', url: null }),
    });
    expect(gateway.status()).toMatchObject({ state: 'failed', message: 'Port 8787 is in use.' });
  });

  it('forwards apply to the running process and caches pushed status and traffic', () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    started();
    const seen: string[] = [];
    const unsubscribe = gateway.onTraffic((e) => seen.push(e.requestId));
    gateway.apply(config);
    expect(last().sent.at(-1)).toEqual({ type: 'apply', config });

    last().reply({ type: 'traffic', entries: [entry('r1'), entry('r2')], status: status({ counters: { requests: 2, errors: 0, inFlight: 0, backendHandshakes: 1 } }) });
    expect(seen).toEqual(['r1', 'r2']);
    expect(gateway.traffic().map((e) => e.requestId)).toEqual(['r1', 'r2']);
    expect(gateway.traffic(1).map((e) => e.requestId)).toEqual(['r2']);
    expect(gateway.status().counters.requests).toBe(2);

    last().reply({ type: 'status', status: status({ counters: { requests: 2, errors: 0, inFlight: 5, backendHandshakes: 1 } }) });
    expect(gateway.status().counters.inFlight).toBe(5);
    unsubscribe();
    last().reply({ type: 'traffic', entries: [entry('r3')], status: status() });
    expect(seen).toEqual(['r1', 'r2']);
  });

  it('keeps the newest 1,000 traffic entries', () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    started();
    const batch = Array.from({ length: 1200 }, (_, i) => entry(`r${i}`));
    last().reply({ type: 'traffic', entries: batch, status: status() });
    expect(gateway.traffic()).toHaveLength(1000);
    expect(gateway.traffic()[0]?.requestId).toBe('r200');
  });

  it('ignores malformed messages and messages from a process it no longer runs', () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    started();
    for (const junk of [null, 'x', { type: 'status' }, { type: 'traffic', entries: 'no', status: status() }, { type: 'nope' }]) {
      last().reply(junk);
    }
    expect(gateway.status().state).toBe('running');
    const first = last();
    first.emit('exit', 1);
    vi.advanceTimersByTime(500);
    first.reply({ type: 'status', status: status({ url: 'http://stale' }) });
    expect(gateway.status().url).not.toBe('http://stale');
  });

  it('restarts a crashed process with growing delays and applies the last configuration again', () => {
    const gateway = new GatewayProcess({ ...options, restartDelaysMs: [500, 1000, 2000] });
    gateway.start();
    started();
    gateway.apply(config);

    last().emit('exit', 9);
    expect(gateway.status()).toMatchObject({ state: 'failed', url: null });
    expect(gateway.status().message).toMatch(/stopped unexpectedly \(it exited with code 9\)\. Restarting in 1 s/);
    vi.advanceTimersByTime(499);
    expect(children()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(children()).toHaveLength(2);
    expect(last().sent).toEqual([
      { type: 'start', options: options.gateway },
      { type: 'apply', config },
    ]);
    expect(gateway.status().state).toBe('starting');

    last().emit('exit', 1);
    vi.advanceTimersByTime(999);
    expect(children()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(children()).toHaveLength(3);

    last().emit('exit', 1);
    vi.advanceTimersByTime(2000);
    expect(children()).toHaveLength(4);
    last().emit('exit', 1);
    vi.advanceTimersByTime(2000);
    expect(children()).toHaveLength(5);
    started();
    expect(gateway.status().state).toBe('running');
  });

  it('starts the backoff over after a process that ran for a while', () => {
    const gateway = new GatewayProcess({ ...options, restartDelaysMs: [500, 5000], stableAfterMs: 30_000 });
    gateway.start();
    last().emit('exit', 1);
    vi.advanceTimersByTime(500);
    expect(children()).toHaveLength(2);
    started();
    vi.advanceTimersByTime(60_000);
    last().emit('exit', 1);
    vi.advanceTimersByTime(500);
    expect(children()).toHaveLength(3);
  });

  it('retries when the process cannot even be forked', () => {
    forked.fail = true;
    const gateway = new GatewayProcess({ ...options, restartDelaysMs: [100] });
    gateway.start();
    expect(gateway.status()).toMatchObject({ state: 'failed' });
    expect(gateway.status().message).toMatch(/could not be started/);
    forked.fail = false;
    vi.advanceTimersByTime(100);
    expect(children()).toHaveLength(1);
  });

  it('sends a test call and returns the gateway\'s answer', async () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    started();
    const input = { apiId: 'echo', method: 'GET', path: '/hello' };
    const pending = gateway.testCall(input);
    const request = last().sent.at(-1);
    expect(request).toMatchObject({ type: 'testCall', input });
    const result = { ok: true, value: { status: 200, durationMs: 4, headers: {}, body: 'hi', bodyTruncated: false, certificateId: null, thumbprint: null, errorCode: null } };
    last().reply({ type: 'testCallResult', id: request?.id, result });
    await expect(pending).resolves.toEqual(result);
  });

  it('answers gateway-unavailable when the gateway is not running, dies mid-call, or does not answer', async () => {
    const gateway = new GatewayProcess(options);
    await expect(gateway.testCall({ apiId: 'a', method: 'GET', path: '/' })).resolves.toMatchObject({ error: { code: 'gateway-unavailable' } });
    gateway.start();
    started();
    const dying = gateway.testCall({ apiId: 'a', method: 'GET', path: '/' });
    last().emit('exit', 1);
    await expect(dying).resolves.toMatchObject({ error: { code: 'gateway-unavailable' } });

    vi.advanceTimersByTime(500);
    started();
    const silent = gateway.testCall({ apiId: 'a', method: 'GET', path: '/' });
    vi.advanceTimersByTime(options.gateway.backendTimeoutMs + 5000);
    await expect(silent).resolves.toMatchObject({ error: { code: 'gateway-unavailable', message: expect.stringMatching(/in time/) } });
  });

  it('stops gracefully: sends stop, waits for the exit, and never restarts', async () => {
    const gateway = new GatewayProcess(options);
    gateway.start();
    started();
    const child = last();
    const stopping = gateway.stop();
    expect(child.sent.at(-1)).toMatchObject({ type: 'stop' });
    expect(gateway.status().state).toBe('stopped');
    child.reply({ type: 'stopped', id: child.sent.at(-1)?.id });
    child.emit('exit', 0);
    await stopping;
    expect(child.kill).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(children()).toHaveLength(1);
    expect(gateway.stop()).toBe(stopping);
    gateway.apply(config);
    expect(child.sent.filter((m) => m.type === 'apply')).toHaveLength(0);
  });

  it('kills a process that does not stop in time', async () => {
    const gateway = new GatewayProcess({ ...options, stopTimeoutMs: 2000 });
    gateway.start();
    started();
    const stopping = gateway.stop();
    await vi.advanceTimersByTimeAsync(2000);
    await stopping;
    expect(last().kill).toHaveBeenCalled();
  });

  it('cancels a pending restart when stopped', async () => {
    const gateway = new GatewayProcess({ ...options, restartDelaysMs: [1000] });
    gateway.start();
    last().emit('exit', 1);
    await gateway.stop();
    vi.advanceTimersByTime(5000);
    expect(children()).toHaveLength(1);
    expect(gateway.status().state).toBe('stopped');
  });
});
