import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatus, TrafficEntry } from '../../../../preload/contract';
import { fail } from '../../../../preload/contract';
import type { GatewayDriver } from '../../../../main/core/gateway/types';
import { openEvents, startFixture, type AdminFixture } from './admin-fixture';

/** A gateway stand-in: the admin API only reads its status and traffic through the core. */
function fakeGateway(): GatewayDriver & { emit(entry: TrafficEntry): void } {
  const log: TrafficEntry[] = [];
  const listeners = new Set<(entry: TrafficEntry) => void>();
  const status: GatewayStatus = {
    state: 'running',
    url: 'http://127.0.0.1:8787',
    message: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 },
    routes: [],
  };
  return {
    apply: () => undefined,
    status: () => ({ ...status, counters: { ...status.counters, requests: log.length } }),
    traffic: (limit) => log.slice(-(limit ?? log.length)),
    onTraffic: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    testCall: async () => fail('gateway-unavailable', 'fake'),
    stop: async () => undefined,
    emit(entry) {
      log.push(entry);
      for (const l of listeners) l(entry);
    },
  };
}

function entry(n: number): TrafficEntry {
  return {
    requestId: `req-${n}`,
    time: new Date(1_700_000_000_000 + n).toISOString(),
    method: 'GET',
    path: `/orders/${n}`,
    apiId: 'orders',
    status: 200,
    durationMs: 3,
    certificateId: null,
    thumbprint: null,
    handshake: 'reused',
    errorCode: null,
  };
}

describe('REST /gateway', () => {
  let f: AdminFixture;
  const gateway = fakeGateway();

  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f.close());

  it('reports a stopped gateway when none runs in the process', async () => {
    const r = await f.request('/gateway');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ state: 'stopped', url: null });
    expect((await f.request('/gateway/traffic')).json).toEqual({ value: [], count: 0 });
  });

  it('reports the running gateway and its recent traffic, with ?limit', async () => {
    await f.core.attachGateway(gateway);
    gateway.emit(entry(1));
    gateway.emit(entry(2));
    gateway.emit(entry(3));
    expect((await f.request('/gateway')).json).toMatchObject({ state: 'running', counters: { requests: 3 } });
    const all = await f.request('/gateway/traffic');
    expect(all.json).toMatchObject({ count: 3, value: [{ requestId: 'req-1' }, { requestId: 'req-2' }, { requestId: 'req-3' }] });
    const last = await f.request('/gateway/traffic?limit=1');
    expect(last.json).toMatchObject({ count: 1, value: [{ requestId: 'req-3' }] });
    for (const bad of ['0', 'abc', '1001', '1.5']) {
      const r = await f.request(`/gateway/traffic?limit=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json).toMatchObject({ error: { code: 'validation' } });
    }
  });

  it('follows the traffic as server-sent events: the recent calls, then each new one', async () => {
    const follow = await openEvents(f.port, '/gateway/traffic?follow=1&limit=2');
    const all = await openEvents(f.port, '/_events');
    try {
      expect(follow.status).toBe(200);
      expect(follow.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await follow.waitFor((e) => (e.data as TrafficEntry).requestId === 'req-3');
      gateway.emit(entry(4));
      await follow.waitFor((e) => (e.data as TrafficEntry).requestId === 'req-4');
      await all.waitFor((e) => e.event === 'traffic' && (e.data as TrafficEntry).requestId === 'req-4');
      expect(follow.events.map((e) => [e.event, (e.data as TrafficEntry).requestId])).toEqual([
        ['traffic', 'req-2'],
        ['traffic', 'req-3'],
        ['traffic', 'req-4'],
      ]);
    } finally {
      follow.close();
      all.close();
      await f.core.attachGateway(null);
    }
  });

  it('refuses other methods with 405', async () => {
    expect((await f.request('/gateway', { method: 'DELETE' })).status).toBe(405);
    expect((await f.request('/gateway/traffic', { method: 'POST', body: {} })).status).toBe(405);
  });
});
