/**
 * The core listens to the gateway's traffic only while someone listens to its 'traffic' channel (a console's
 * event stream, the desktop window): with no one listening, the gateway builds no entry object per call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../../../preload/contract';
import { openCore, type Core } from '../../../../main/core/app/core';
import type { GatewayDriver } from '../../../../main/core/gateway/types';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { tempDir } from '../../../helpers/temp-dir';

/** A driver that keeps its traffic listeners where the test can count and call them. */
function fakeDriver(): GatewayDriver & { listeners: Set<(entry: TrafficEntry) => void> } {
  const listeners = new Set<(entry: TrafficEntry) => void>();
  return {
    listeners,
    apply: () => undefined,
    status: () => ({ state: 'running', url: null, message: null, startedAt: null, counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 }, routes: [] }),
    traffic: () => [],
    onTraffic: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    testCall: async () => ({ ok: false, error: { code: 'gateway-unavailable', message: '' } }),
    stop: async () => undefined,
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function core(): Promise<Core> {
  const dir = await tempDir();
  const opened = await openCore({ dataDir: dir.path, secretStore: new MemorySecretStore() });
  if (!opened.ok) throw new Error(opened.error.message);
  cleanups.push(async () => {
    await opened.value.attachGateway(null);
    await dir.remove();
  });
  return opened.value;
}

describe("the core's traffic feed", () => {
  it('is attached to the gateway only while the traffic channel has listeners', async () => {
    const c = await core();
    const driver = fakeDriver();
    await c.attachGateway(driver);
    expect(driver.listeners.size).toBe(0);
    const seen: string[] = [];
    const stop = c.subscribe('traffic', (entry) => seen.push(entry.requestId));
    expect(driver.listeners.size).toBe(1);
    for (const listener of driver.listeners) listener({ requestId: 'r1' } as TrafficEntry);
    expect(seen).toEqual(['r1']);
    stop();
    expect(driver.listeners.size).toBe(0);
  });

  it('moves to a new gateway and leaves the old one', async () => {
    const c = await core();
    const first = fakeDriver();
    const second = fakeDriver();
    await c.attachGateway(first);
    c.subscribe('traffic', () => undefined);
    expect(first.listeners.size).toBe(1);
    await c.attachGateway(second);
    expect([first.listeners.size, second.listeners.size]).toEqual([0, 1]);
    await c.attachGateway(null);
    expect(second.listeners.size).toBe(0);
  });
});
