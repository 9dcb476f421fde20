import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, fail, type GatewayStatus, type TrafficEntry } from '../../../preload/contract';
import { serveGateway, type HostedGateway } from '../../../main/gateway-host/endpoint';

/** The parent port: the test sends what the main process would, and reads what the gateway posts. */
function fakePort() {
  let listener: ((event: { data: unknown }) => void) | null = null;
  const posted: { type: string; [key: string]: unknown }[] = [];
  return {
    posted,
    on: (_event: 'message', l: (event: { data: unknown }) => void) => {
      listener = l;
    },
    postMessage: (message: { type: string }) => posted.push(message),
    send: (data: unknown) => listener?.({ data }),
  };
}

function fakeGateway(startResult = ok({ url: 'http://127.0.0.1:8787' })) {
  let onTraffic: ((entry: TrafficEntry) => void) | null = null;
  let inFlight = 0;
  const gateway = {
    start: vi.fn(async () => startResult),
    apply: vi.fn(),
    status: vi.fn(
      (): GatewayStatus => ({
        state: startResult.ok ? 'running' : 'failed',
        url: startResult.ok ? startResult.value.url : null,
        message: null,
        startedAt: null,
        counters: { requests: 0, errors: 0, inFlight, backendHandshakes: 0 },
        routes: [],
      }),
    ),
    traffic: vi.fn(() => []),
    onTraffic: vi.fn((l: (entry: TrafficEntry) => void) => {
      onTraffic = l;
      return () => {};
    }),
    testCall: vi.fn(async () => ok({ status: 200, durationMs: 1, headers: {}, body: '', bodyTruncated: false, certificateId: null, thumbprint: null, errorCode: null })),
    stop: vi.fn(async () => {}),
  } satisfies HostedGateway;
  return {
    gateway,
    record: (requestId: string) => onTraffic?.({ requestId } as TrafficEntry),
    setInFlight: (n: number) => {
      inFlight = n;
    },
  };
}

const start = { type: 'start', options: { host: '127.0.0.1', port: 8787, backendTimeoutMs: 1000 } };
const flushPromises = () => vi.advanceTimersByTimeAsync(0);

let port: ReturnType<typeof fakePort>;
let fakes: ReturnType<typeof fakeGateway>;
let exit: ReturnType<typeof vi.fn<(code: number) => void>>;

beforeEach(() => {
  vi.useFakeTimers();
  port = fakePort();
  fakes = fakeGateway();
  exit = vi.fn<(code: number) => void>();
  serveGateway({ port, createGateway: () => fakes.gateway, exit, flushMs: 100, statusMs: 1000 });
});
afterEach(() => vi.useRealTimers());

describe('gateway endpoint (utility process side)', () => {
  it('starts the gateway once and reports the result with its status', async () => {
    port.send(start);
    port.send(start);
    await flushPromises();
    expect(fakes.gateway.start).toHaveBeenCalledTimes(1);
    expect(port.posted[0]).toMatchObject({ type: 'started', result: { ok: true, value: { url: 'http://127.0.0.1:8787' } }, status: { state: 'running' } });
  });

  it('applies a configuration sent before the gateway finished starting, after it started', async () => {
    port.send(start);
    port.send({ type: 'apply', config: { routes: [] } });
    expect(fakes.gateway.apply).not.toHaveBeenCalled();
    await flushPromises();
    expect(fakes.gateway.apply).toHaveBeenCalledWith({ routes: [] });
  });

  it('ignores malformed messages', async () => {
    for (const junk of [null, 'start', { type: 'start' }, { type: 'apply' }, { type: 'testCall', id: -1, input: {} }, { type: 'eval', code: '1' }]) {
      port.send(junk);
    }
    await flushPromises();
    expect(fakes.gateway.start).not.toHaveBeenCalled();
    expect(port.posted).toEqual([]);
  });

  it('batches traffic entries into one message per interval, with the status', async () => {
    port.send(start);
    await flushPromises();
    for (let i = 0; i < 50; i++) fakes.record(`r${i}`);
    expect(port.posted.filter((m) => m.type === 'traffic')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    const batches = port.posted.filter((m) => m.type === 'traffic');
    expect(batches).toHaveLength(1);
    expect((batches[0]?.entries as unknown[]).length).toBe(50);
    expect(batches[0]?.status).toMatchObject({ state: 'running' });
  });

  it('pushes the status when it changes without traffic', async () => {
    port.send(start);
    await flushPromises();
    await vi.advanceTimersByTimeAsync(1000);
    expect(port.posted.filter((m) => m.type === 'status')).toHaveLength(0);
    fakes.setInFlight(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(port.posted.filter((m) => m.type === 'status').at(-1)).toMatchObject({ status: { counters: { inFlight: 3 } } });
  });

  it('answers a test call by id, and turns a throw into an internal value', async () => {
    port.send(start);
    port.send({ type: 'testCall', id: 7, input: { apiId: 'echo', method: 'GET', path: '/' } });
    await flushPromises();
    expect(port.posted.at(-1)).toMatchObject({ type: 'testCallResult', id: 7, result: { ok: true } });
    fakes.gateway.testCall.mockRejectedValueOnce(new Error('bug'));
    port.send({ type: 'testCall', id: 8, input: { apiId: 'echo', method: 'GET', path: '/' } });
    await flushPromises();
    expect(port.posted.at(-1)).toMatchObject({ type: 'testCallResult', id: 8, result: { ok: false, error: { code: 'internal' } } });
  });

  it('stops: flushes traffic, drains the gateway, answers, exits 0', async () => {
    port.send(start);
    await flushPromises();
    fakes.record('last');
    port.send({ type: 'stop', id: 9 });
    await flushPromises();
    expect(port.posted.map((m) => m.type)).toEqual(['started', 'traffic', 'stopped']);
    expect(fakes.gateway.stop).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('reports a gateway that cannot listen, and stays up for the main process to decide', async () => {
    port = fakePort();
    fakes = fakeGateway(fail('gateway-unavailable', 'Port 8787 is in use.') as never);
    serveGateway({ port, createGateway: () => fakes.gateway, exit });
    port.send(start);
    await flushPromises();
    expect(port.posted[0]).toMatchObject({ type: 'started', result: { ok: false, error: { code: 'gateway-unavailable' } } });
    expect(exit).not.toHaveBeenCalled();
  });

  it('exits when the gateway cannot even be created (the main process restarts it)', async () => {
    port = fakePort();
    serveGateway({
      port,
      createGateway: () => {
        throw new Error('bug');
      },
      exit,
    });
    port.send(start);
    await flushPromises();
    expect(exit).toHaveBeenCalledWith(1);
  });
});
