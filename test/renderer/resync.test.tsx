import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ChangeEvent, TrafficEntry } from '../../preload/contract';
import type { CertGateBridge } from '../../renderer/client/bridge-types';
import { createHttpClient } from '../../renderer/client/http-client';
import { createIpcClient } from '../../renderer/client/ipc-client';
import { isResync, RESYNC_EVENT } from '../../renderer/client/resync';
import { FakeClient, makeCertificate } from './fake-client';
import { main, renderApp } from './render-app';

function stream(chunks: string[], end: boolean): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (end) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('Resync after events may have been missed', () => {
  it('HTTP: the first connection sends nothing extra; after a reconnection every changes listener gets the resync event', async () => {
    let attempts = 0;
    const fetch = vi.fn(async () => {
      attempts++;
      // The first stream ends at once (the server restarted); the second stays open.
      return stream(attempts === 1 ? ['event: changes\ndata: {"kind":"api","action":"created","id":"a1"}\n\n'] : [], attempts === 1);
    });
    const client = createHttpClient({ token: () => 't', fetch, backoff: { initialMs: 5, maxMs: 5 } });
    const first: ChangeEvent[] = [];
    const second: ChangeEvent[] = [];
    const traffic: TrafficEntry[] = [];
    const off1 = client.subscribe('changes', (e) => first.push(e));
    const off2 = client.subscribe('changes', (e) => second.push(e));
    const off3 = client.subscribe('traffic', (e) => traffic.push(e));
    await vi.waitFor(() => expect(attempts).toBe(2));
    await vi.waitFor(() => expect(first.map((e) => e.id)).toEqual(['a1', '*']));
    expect(second.map((e) => e.id)).toEqual(['a1', '*']);
    expect(isResync(first[1]!)).toBe(true);
    expect(isResync(first[0]!)).toBe(false);
    expect(traffic).toEqual([]);
    off1();
    off2();
    off3();
  });

  it('IPC: when calls failed (main re-wiring its handlers) and then work again, changes listeners get the resync event', async () => {
    let fail = true;
    const listeners: ((e: unknown) => void)[] = [];
    const bridge = {
      apis: { list: vi.fn(async () => (fail ? Promise.reject(new Error('No handler registered')) : { ok: true, value: [] })) },
      subscribe: vi.fn((_channel: string, listener: (e: unknown) => void) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      }),
    } as unknown as CertGateBridge;
    const client = createIpcClient(bridge);
    const seen: ChangeEvent[] = [];
    const off = client.subscribe('changes', (e) => seen.push(e));
    expect((await client.call('apis.list', {})).ok).toBe(false);
    expect(seen).toEqual([]);
    fail = false;
    expect((await client.call('apis.list', {})).ok).toBe(true);
    await vi.waitFor(() => expect(seen).toEqual([RESYNC_EVENT]));
    // Once: later successes add nothing. The client queues the resync before it answers, so once a call's
    // answer is in, any resync it caused has already been delivered: two more answers are the signal.
    await client.call('apis.list', {});
    await client.call('apis.list', {});
    expect(seen).toHaveLength(1);
    off();
    expect(listeners).toHaveLength(0);
  });

  it('pages load again on the resync event: a certificate added while disconnected shows up', async () => {
    const client = new FakeClient();
    client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso' });
    renderApp('#/security/client-certificates', client);
    const table = await within(main()).findByRole('table', { name: 'Client certificates' });
    // A change the console never heard of (no event: it was disconnected).
    const missed = makeCertificate({ id: 'missed', subject: 'CN=missed,O=Contoso' });
    const loads = client.callsTo('certificates.list').length;
    client.certificates.set(missed.id, missed);
    expect(within(table).queryByText('missed')).toBeNull();
    client.emitChange(RESYNC_EVENT);
    expect(await within(main()).findByText('missed')).toBeTruthy();
    // It came from the reload the resync event caused, not from a load already under way.
    expect(client.callsTo('certificates.list').length).toBe(loads + 1);
    expect(screen.getByText('2 certificates')).toBeTruthy();
  });

  it('the traffic log loads again on the resync event, keeping each call once', async () => {
    const client = new FakeClient();
    client.emitTraffic({ requestId: 'r1', path: '/one' });
    renderApp('#/gateway', client);
    const table = await within(main()).findByRole('table', { name: 'Live traffic' });
    expect(within(table).getByText('/one')).toBeTruthy();
    // Logged while disconnected: no traffic event reached the console.
    client.traffic.push({ ...client.traffic[0]!, requestId: 'r2', path: '/two', time: new Date(Date.now() + 1000).toISOString() });
    client.emitChange(RESYNC_EVENT);
    await waitFor(() => expect(within(table).getByText('/two')).toBeTruthy());
    expect(within(table).getAllByText('/one')).toHaveLength(1);
    expect(within(main()).getByText('2 calls shown')).toBeTruthy();
  });
});
