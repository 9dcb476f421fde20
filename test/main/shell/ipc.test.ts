import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { ok, operationNames, type Operations, type Subscriptions } from '../../../preload/contract';
import { fake, FakeBrowserWindow, FakeFrame, FakeWebContents } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { appLocation } = await import('../../../main/shell/app-protocol');
const { registerIpc } = await import('../../../main/shell/ipc');

type Listener = (event: unknown) => void;

let window: FakeBrowserWindow;
let operations: Record<string, ReturnType<typeof vi.fn>>;
let listeners: Map<string, Set<Listener>>;
let dispose: () => void;

function subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
  const set = listeners.get(channel) ?? new Set<Listener>();
  listeners.set(channel, set);
  set.add(listener as Listener);
  return () => set.delete(listener as Listener);
}

beforeEach(() => {
  window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = 'app://certgate/index.html';
  operations = Object.fromEntries(operationNames.map((name) => [name, vi.fn(async (input: unknown) => ok({ name, input }))]));
  listeners = new Map();
  dispose = registerIpc({
    getWindow: () => window as unknown as BrowserWindow,
    location: appLocation(undefined),
    operations: operations as unknown as Operations,
    subscribe,
    maxTrafficEventsPerSecond: 3,
  });
});

afterEach(() => dispose());

/** An invoke event as Electron builds it for a frame of some webContents. */
function eventFrom(contents: FakeWebContents, frame: FakeFrame | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame, processId: 1, frameId: 1 };
}

function invoke(name: string, payload: unknown, event = eventFrom(window.webContents)) {
  const handler = fake.handlers.get(`certgate:${name}`);
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(event, payload) as Promise<unknown>;
}

describe('IPC handlers', () => {
  it('registers exactly one handler per contract operation, on certgate:<name>', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(operationNames.map((n) => `certgate:${n}`).sort());
  });

  it('runs an operation for the app window with the parsed input', async () => {
    await expect(invoke('certificates.get', { id: 'client-1' })).resolves.toEqual(ok({ name: 'certificates.get', input: { id: 'client-1' } }));
    await expect(invoke('certificates.list', undefined)).resolves.toMatchObject({ ok: true });
  });

  it('refuses another webContents', async () => {
    const other = new FakeWebContents('app://certgate/index.html');
    await expect(invoke('certificates.list', {}, eventFrom(other))).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(operations['certificates.list']).not.toHaveBeenCalled();
  });

  it('refuses a sub-frame of the app window, even on the app origin', async () => {
    const iframe = new FakeFrame('app://certgate/index.html');
    await expect(invoke('certificates.delete', { id: 'x' }, eventFrom(window.webContents, iframe))).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(operations['certificates.delete']).not.toHaveBeenCalled();
  });

  it('refuses a frame that is gone, and a main frame showing a foreign page', async () => {
    await expect(invoke('certificates.list', {}, eventFrom(window.webContents, null))).resolves.toMatchObject({ error: { code: 'forbidden' } });
    window.webContents.mainFrame.url = 'https://evil.example/';
    await expect(invoke('certificates.list', {})).resolves.toMatchObject({ error: { code: 'forbidden' } });
    expect(operations['certificates.list']).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is closed', async () => {
    window.destroyed = true;
    await expect(invoke('settings.get', {})).resolves.toMatchObject({ error: { code: 'forbidden' } });
  });

  it('answers a bad payload with a validation value, never a throw, and never calls the core', async () => {
    for (const payload of [{ id: 42 }, { id: 'ok', extra: true }, 'text', [], { id: 'a/b' }]) {
      await expect(invoke('certificates.get', payload)).resolves.toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    await expect(invoke('certificates.upload', { data: 'not base64!', password: 'x' })).resolves.toMatchObject({ error: { code: 'validation' } });
    expect(operations['certificates.get']).not.toHaveBeenCalled();
    expect(operations['certificates.upload']).not.toHaveBeenCalled();
  });

  it('turns a throwing operation into an internal error value', async () => {
    operations['apis.list']?.mockRejectedValueOnce(new Error('boom'));
    await expect(invoke('apis.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('removes every handler and subscription when disposed', () => {
    dispose();
    expect(fake.handlers.size).toBe(0);
    expect(fake.listeners.get('certgate:cancel')?.size ?? 0).toBe(0);
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
    dispose = () => {};
  });
});

describe('cancellation', () => {
  /** Make `certificates.inspect` wait for its signal; resolves with what the operation saw. */
  function waitForAbort() {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    operations['certificates.inspect']?.mockImplementation(
      (_input: unknown, options?: { signal?: AbortSignal }) =>
        new Promise((resolve) => {
          started();
          options?.signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'cancelled', message: 'stopped' } }));
        }),
    );
    return running;
  }

  function cancel(callId: unknown, event = eventFrom(window.webContents)) {
    for (const listener of fake.listeners.get('certgate:cancel') ?? []) listener(event, callId);
  }

  function invokeWithId(name: string, payload: unknown, callId: string, event = eventFrom(window.webContents)) {
    return fake.handlers.get(`certgate:${name}`)?.(event, payload, callId) as Promise<unknown>;
  }

  it('a call sent with an id is cancelled on certgate:cancel: the operation sees its signal abort', async () => {
    const running = waitForAbort();
    const answer = invokeWithId('certificates.inspect', { data: 'AAAA' }, 'call-1');
    await running;
    cancel('call-2');
    cancel('call-1');
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('only the window that sent the call can cancel it', async () => {
    const running = waitForAbort();
    const answer = invokeWithId('certificates.inspect', { data: 'AAAA' }, 'call-1');
    await running;
    cancel('call-1', eventFrom(new FakeWebContents('app://certgate/index.html')));
    const signal = (operations['certificates.inspect']?.mock.calls[0]?.[1] as { signal: AbortSignal }).signal;
    expect(signal.aborted).toBe(false);
    cancel('call-1');
    await answer;
    expect(signal.aborted).toBe(true);
  });

  it('a window that goes away cancels its calls in flight', async () => {
    const running = waitForAbort();
    const answer = invoke('certificates.inspect', { data: 'AAAA' });
    await running;
    window.webContents.emit('destroyed');
    await expect(answer).resolves.toMatchObject({ error: { code: 'cancelled' } });
  });
});

describe('subscriptions', () => {
  const emit = (channel: string, event: unknown) => {
    for (const l of listeners.get(channel) ?? []) l(event);
  };

  it('forwards changes and traffic to the window on certgate:event:<channel>', () => {
    emit('changes', { kind: 'certificate', action: 'created', id: 'c1' });
    emit('traffic', { requestId: 'r1' });
    expect(window.webContents.sent).toEqual([
      { channel: 'certgate:event:changes', payload: { kind: 'certificate', action: 'created', id: 'c1' } },
      { channel: 'certgate:event:traffic', payload: { requestId: 'r1' } },
    ]);
  });

  it('sends nothing to a closed window', () => {
    window.destroyed = true;
    emit('changes', { kind: 'api', action: 'deleted', id: 'a' });
    expect(window.webContents.sent).toEqual([]);
  });

  it('caps traffic events per second (the log keeps the rest)', () => {
    vi.useFakeTimers();
    try {
      for (let i = 0; i < 10; i++) emit('traffic', { requestId: `r${i}` });
      expect(window.webContents.sent).toHaveLength(3);
      vi.advanceTimersByTime(1000);
      emit('traffic', { requestId: 'later' });
      expect(window.webContents.sent).toHaveLength(4);
      for (let i = 0; i < 10; i++) emit('changes', { kind: 'api', action: 'updated', id: `a${i}` });
      expect(window.webContents.sent).toHaveLength(14);
    } finally {
      vi.useRealTimers();
    }
  });
});
