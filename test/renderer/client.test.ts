import { describe, expect, it, vi } from 'vitest';
import type { ChangeEvent, TrafficEntry } from '../../preload/contract';
import type { CertGateBridge } from '../../renderer/client/bridge-types';
import { createHttpClient } from '../../renderer/client/http-client';
import { createClient } from '../../renderer/client/index';
import { createIpcClient } from '../../renderer/client/ipc-client';
import { isNetworkError } from '../../renderer/client/result';
import { createSseParser } from '../../renderer/client/sse';
import { takeToken } from '../../renderer/client/token';
import { createI18n } from '../../renderer/i18n';
import { errorText } from '../../renderer/src/error-text';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A fetch for `/_events` whose stream sends `chunks`, then stays open until aborted (or ends if `end`). */
function eventStream(chunks: string[], end = false): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (end) controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('HTTP client', () => {
  it('posts each operation to /_rpc/{name} with the bearer token and returns the Result as is', async () => {
    const fetch = vi.fn(async () => json({ ok: true, value: [{ id: 'a' }] }));
    const client = createHttpClient({ token: () => 'tok123', fetch });
    const result = await client.call('apis.list', {});
    expect(result).toEqual({ ok: true, value: [{ id: 'a' }] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/_rpc/apis.list');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok123');
    expect(init.body).toBe('{}');
  });

  it('passes error Results through, whatever the HTTP status', async () => {
    const error = { ok: false, error: { code: 'bad-password', message: 'The password is wrong for client.pfx.' } };
    const client = createHttpClient({ token: () => 't', fetch: async () => json(error, 400) });
    expect(await client.call('certificates.upload', { data: 'AAAA', password: 'x' })).toEqual(error);
  });

  it('turns a 401 without a Result into unauthorized, and a network failure into a failure value', async () => {
    const unauthorized = createHttpClient({ token: () => null, fetch: async () => new Response('no', { status: 401 }) });
    const r1 = await unauthorized.call('settings.get', {});
    expect(r1.ok === false && r1.error.code).toBe('unauthorized');

    const offline = createHttpClient({ token: () => 't', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    const r2 = await offline.call('settings.get', {});
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect(isNetworkError(r2.error)).toBe(true);
      expect(errorText(createI18n('en'), r2.error)).toBe('The console cannot reach CertGate. Check that it is still running, then try again.');
      expect(errorText(createI18n('fr'), r2.error)).toContain('La console ne joint pas CertGate');
    }
  });

  it('reads server-sent events with fetch (Authorization header), dispatching by channel, and closes when unsubscribed', async () => {
    const change: ChangeEvent = { kind: 'certificate', action: 'created', id: 'c1' };
    const traffic = { requestId: 'r1', status: 200 } as TrafficEntry;
    let signal: AbortSignal | undefined;
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return eventStream([`: hello\r\nevent: changes\r\ndata: ${JSON.stringify(change)}\r`, `\n\r\nevent: traffic\ndata: ${JSON.stringify(traffic)}\n\n`, 'event: other\ndata: {}\n\n']);
    });
    const client = createHttpClient({ token: () => 'tok', fetch });
    const changes: ChangeEvent[] = [];
    const calls: TrafficEntry[] = [];
    const off1 = client.subscribe('changes', (e) => changes.push(e));
    const off2 = client.subscribe('traffic', (e) => calls.push(e));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(changes).toEqual([change]);
    expect(calls).toEqual([traffic]);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/_events');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    off1();
    expect(signal?.aborted).toBe(false);
    off2();
    expect(signal?.aborted).toBe(true);
  });

  it('honours signal: the fetch is aborted (the server stops the call) and the answer is cancelled', async () => {
    const fetch = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    const client = createHttpClient({ token: () => 't', fetch: fetch as unknown as typeof globalThis.fetch });
    const controller = new AbortController();
    const pending = client.call('certificates.inspect', { data: 'AAAA' }, { signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(result.ok === false && result.error.code).toBe('cancelled');
    expect(fetch.mock.calls[0]?.[1]?.signal).toBe(controller.signal);
    const before = await client.call('certificates.inspect', { data: 'AAAA' }, { signal: controller.signal });
    expect(before.ok === false && before.error.code).toBe('cancelled');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reconnects with backoff when the stream ends or fails', async () => {
    let attempts = 0;
    const fetch = vi.fn(async () => {
      attempts++;
      if (attempts === 1) throw new TypeError('Failed to fetch');
      if (attempts === 2) return new Response('busy', { status: 503 });
      return eventStream([`event: changes\ndata: {"kind":"api","action":"updated","id":"a${attempts}"}\n\n`], attempts < 4);
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const client = createHttpClient({ token: () => 't', fetch, backoff: { initialMs: 5, maxMs: 20 } });
      const ids: string[] = [];
      const off = client.subscribe('changes', (e) => ids.push(e.id));
      // Each reconnection is followed by the resync event ("*"): whatever was missed meanwhile is loaded again.
      // (vi.waitFor moves the fake clock on between its checks.)
      await vi.waitFor(() => expect(ids).toEqual(['*', 'a3', '*', 'a4']), { timeout: 2000 });
      off();
      const after = attempts;
      // Unsubscribed: no reconnection is left scheduled, and a minute on the clock starts none.
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(attempts).toBe(after);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SSE parser', () => {
  it('joins data lines, ignores comments and unknown fields, handles any chunking', () => {
    const events: { event: string; data: string }[] = [];
    const push = createSseParser((e) => events.push(e));
    const text = 'id: 1\nevent: changes\ndata: {"a":\ndata: 1}\n\n: keep-alive\n\ndata:plain\n\n';
    for (const ch of text) push(ch);
    expect(events).toEqual([
      { event: 'changes', data: '{"a":\n1}' },
      { event: 'message', data: 'plain' },
    ]);
  });
});

describe('Token', () => {
  it('takes the token from #token=, keeps it in sessionStorage and strips it from the address bar', () => {
    window.history.replaceState(null, '', '/console?x=1#token=abc%2Fdef');
    expect(takeToken()).toBe('abc/def');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/console?x=1');
    expect(window.sessionStorage.getItem('certgate.token')).toBe('abc/def');
    window.location.hash = '#/apis';
    expect(takeToken()).toBe('abc/def');
    expect(window.location.hash).toBe('#/apis');
    window.history.replaceState(null, '', '/');
  });
});

describe('IPC client', () => {
  it('calls window.certgate.<group>.<verb> and forwards subscriptions', async () => {
    const unsubscribe = vi.fn();
    const bridge = {
      certificates: { list: vi.fn(async () => ({ ok: true, value: [] })) },
      gateway: { status: vi.fn(async () => Promise.reject(new Error('IPC channel closed'))) },
      subscribe: vi.fn(() => unsubscribe),
    } as unknown as CertGateBridge;
    const client = createIpcClient(bridge);
    expect(await client.call('certificates.list', {})).toEqual({ ok: true, value: [] });
    expect(bridge.certificates.list).toHaveBeenCalledWith({});
    const failed = await client.call('gateway.status', {});
    expect(failed.ok === false && failed.error.code).toBe('internal');
    const missing = await client.call('apis.list', {});
    expect(missing.ok === false && missing.error.code).toBe('internal');
    const listener = () => {};
    client.subscribe('changes', listener)();
    expect(bridge.subscribe).toHaveBeenCalledWith('changes', listener);
    expect(unsubscribe).toHaveBeenCalled();
  });

  it('honours signal: an abort answers cancelled at once and cancels the call in main by its id', async () => {
    let finish!: (value: unknown) => void;
    const upload = vi.fn((_input: unknown, _callId?: string) => new Promise((resolve) => (finish = resolve)));
    const bridge = { certificates: { upload }, cancel: vi.fn(), subscribe: vi.fn() } as unknown as CertGateBridge;
    const client = createIpcClient(bridge);
    const controller = new AbortController();
    const pending = client.call('certificates.upload', { data: 'AAAA' }, { signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(result.ok === false && result.error.code).toBe('cancelled');
    const callId = upload.mock.calls[0]?.[1];
    expect(typeof callId).toBe('string');
    expect(bridge.cancel).toHaveBeenCalledWith(callId);
    // Main's late answer changes nothing; a call already aborted is not sent at all.
    finish({ ok: false, error: { code: 'cancelled', message: 'x' } });
    const again = await client.call('certificates.upload', { data: 'AAAA' }, { signal: controller.signal });
    expect(again.ok === false && again.error.code).toBe('cancelled');
    expect(upload).toHaveBeenCalledTimes(1);
    // Without a signal, no call id is sent.
    void client.call('certificates.upload', { data: 'BBBB' });
    expect(upload.mock.calls[1]).toEqual([{ data: 'BBBB' }]);
    finish({ ok: true, value: null });
  });

  it('is picked when the preload defines window.certgate, HTTP otherwise', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(json({ ok: true, value: { language: 'en', theme: 'light' } }));
    try {
      await createClient().call('settings.get', {});
      expect(fetch).toHaveBeenCalledTimes(1);
      const get = vi.fn(async () => ({ ok: true, value: { language: 'fr', theme: 'dark' } }));
      window.certgate = { settings: { get } } as unknown as CertGateBridge;
      expect(await createClient().call('settings.get', {})).toEqual({ ok: true, value: { language: 'fr', theme: 'dark' } });
      expect(get).toHaveBeenCalled();
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      delete window.certgate;
      fetch.mockRestore();
    }
  });
});
