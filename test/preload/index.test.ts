import { beforeAll, describe, expect, it, vi } from 'vitest';
import { operationNames } from '../../preload/contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((_channel: string, _input?: unknown, _callId?: unknown): Promise<unknown> => Promise.resolve({ ok: true, value: null })),
  send: vi.fn((_channel: string, _payload: unknown) => {}),
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      electron.exposed.set(key, api);
    },
  },
  ipcRenderer: {
    invoke: electron.invoke,
    send: electron.send,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      electron.listeners.set(channel, set);
      set.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
      electron.listeners.get(channel)?.delete(listener);
    },
  },
}));

type Bridge = Record<string, Record<string, (input?: unknown, callId?: unknown) => Promise<unknown>>> & {
  subscribe: (channel: unknown, listener: unknown) => () => void;
  cancel: (callId: unknown) => void;
};
let bridge: Bridge;

beforeAll(async () => {
  await import('../../preload/index');
  bridge = electron.exposed.get('certgate') as Bridge;
});

/** The whole surface, written out: a change to it should be a deliberate change to this list. */
const EXPECTED_SURFACE = {
  certificates: ['delete', 'estimate', 'expiring', 'export', 'get', 'inspect', 'link', 'list', 'rollback', 'rotate', 'rotations', 'sync', 'unlink', 'upload'],
  caCertificates: ['delete', 'list', 'upload'],
  apis: ['create', 'delete', 'diagnose', 'get', 'import', 'list', 'update'],
  policies: ['effective', 'get', 'set'],
  operations: ['create', 'delete', 'get', 'list', 'policies', 'update'],
  globalPolicy: ['get', 'set'],
  security: ['get', 'list', 'set'],
  gateway: ['status', 'testCall', 'traffic'],
  settings: ['get', 'set'],
  export: ['preview', 'write'],
  files: ['pick'],
  app: ['info'],
  vault: ['unlock'],
};

describe('preload bridge', () => {
  it('exposes exactly one global, window.certgate', () => {
    expect([...electron.exposed.keys()]).toEqual(['certgate']);
  });

  it('exposes every operation as group.verb, plus subscribe and cancel, and nothing else', () => {
    const surface = Object.fromEntries(
      Object.entries(bridge)
        .filter(([key]) => key !== 'subscribe' && key !== 'cancel')
        .map(([group, methods]) => [group, Object.keys(methods).sort()]),
    );
    expect(surface).toEqual(EXPECTED_SURFACE);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(EXPECTED_SURFACE), 'cancel', 'subscribe'].sort());
    expect(typeof bridge.subscribe).toBe('function');
    expect(typeof bridge.cancel).toBe('function');
    for (const methods of Object.values(EXPECTED_SURFACE)) expect(methods.length).toBeGreaterThan(0);
  });

  it('matches the contract: one method per operation name', () => {
    const fromBridge = Object.entries(EXPECTED_SURFACE).flatMap(([group, verbs]) => verbs.map((verb) => `${group}.${verb}`));
    expect(fromBridge.sort()).toEqual([...operationNames].sort());
  });

  it('leaks no IPC or Node object', () => {
    const values: unknown[] = Object.values(bridge as Record<string, unknown>).flatMap((v) =>
      typeof v === 'function' ? [v] : Object.values(v as Record<string, unknown>),
    );
    expect(values.every((v) => typeof v === 'function')).toBe(true);
    expect(bridge).not.toHaveProperty('ipcRenderer');
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
  });

  it('invokes certgate:<name> with the input, and returns the answer', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await expect(bridge.certificates?.list?.()).resolves.toEqual({ ok: true, value: [] });
    await bridge.certificates?.upload?.({ data: 'AAAA', password: 'pw' });
    await bridge.gateway?.testCall?.({ apiId: 'echo', method: 'GET', path: '/' });
    expect(electron.invoke.mock.calls).toEqual([
      ['certgate:certificates.list', undefined],
      ['certgate:certificates.upload', { data: 'AAAA', password: 'pw' }],
      ['certgate:gateway.testCall', { apiId: 'echo', method: 'GET', path: '/' }],
    ]);
  });

  it('sends a call id with a call when given one, and cancels by it on certgate:cancel', async () => {
    electron.invoke.mockClear();
    await bridge.certificates?.upload?.({ data: 'AAAA' }, 'call-7');
    expect(electron.invoke.mock.calls).toEqual([['certgate:certificates.upload', { data: 'AAAA' }, 'call-7']]);
    bridge.cancel('call-7');
    expect(electron.send.mock.calls).toEqual([['certgate:cancel', 'call-7']]);
    expect(() => bridge.cancel({ toString: () => 'x' })).toThrow(TypeError);
    expect(electron.send).toHaveBeenCalledTimes(1);
  });

  it('subscribe passes the payload only, never the IPC event, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.subscribe('changes', (...args: unknown[]) => received.push(args));
    const [listener] = electron.listeners.get('certgate:event:changes') ?? [];
    const ipcEvent = { sender: { invoke: () => {} }, ports: [] as unknown[] };
    listener?.(ipcEvent, { kind: 'api', action: 'created', id: 'a' });
    expect(received).toEqual([[{ kind: 'api', action: 'created', id: 'a' }]]);
    unsubscribe();
    expect(electron.listeners.get('certgate:event:changes')?.size).toBe(0);
  });

  it('subscribes to traffic too', () => {
    const unsubscribe = bridge.subscribe('traffic', () => {});
    expect(electron.listeners.get('certgate:event:traffic')?.size).toBe(1);
    unsubscribe();
  });

  it('refuses any other channel or a listener that is not a function', () => {
    for (const channel of ['certgate:certificates.list', 'event:changes', 'anything', 42, undefined]) {
      expect(() => bridge.subscribe(channel, () => {})).toThrow(TypeError);
    }
    expect(() => bridge.subscribe('changes', 'not a function')).toThrow(TypeError);
    expect(electron.listeners.get('certgate:certificates.list')).toBeUndefined();
  });
});
