import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriptions } from '../../../../preload/contract';
import { callAdmin } from '../../../../main/core/admin-http/client';
import { startAdminServer } from '../../../../main/core/admin-http/server';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { openEvents, startFixture, TOKEN, type AdminFixture } from './admin-fixture';

const PASSWORD = 'Rpc-Passw0rd-31f7';

describe('POST /_rpc/{operation}, GET /_events and the CLI client', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let f: AdminFixture;

  beforeAll(async () => {
    fixtures = await tempDir();
    client1 = makeClientPfx(fixtures.path, 'client1', PASSWORD);
    f = await startFixture();
  });
  afterAll(async () => {
    for (const body of f.bodies) {
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toContain(PASSWORD);
    }
    await f.close();
    await fixtures.remove();
  });

  it('runs an operation: 200 and the Result', async () => {
    const r = await f.request('/_rpc/certificates.upload', { method: 'POST', body: { data: client1.pfx.toString('base64'), password: PASSWORD, fileName: 'client1.pfx' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, value: { created: true, certificate: { id: 'client1' } } });
    const list = await f.request('/_rpc/certificates.list', { method: 'POST', body: {} });
    expect(list.json).toMatchObject({ ok: true, value: [{ id: 'client1', usedBy: [] }] });
  });

  it('treats an empty body as {} (no content type needed)', async () => {
    const r = await f.request('/_rpc/apis.list', { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, value: [] });
  });

  it('answers failures as Results with the mapped status', async () => {
    const bad = await f.request('/_rpc/certificates.inspect', { method: 'POST', body: { data: client1.pfx.toString('base64'), password: 'wrong' } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ ok: false, error: { code: 'bad-password' } });
    const invalid = await f.request('/_rpc/apis.create', { method: 'POST', body: { displayName: '' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ ok: false, error: { code: 'validation', details: { issues: expect.any(Array) } } });
    const missing = await f.request('/_rpc/apis.get', { method: 'POST', body: { id: 'nope' } });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers an unknown operation with 404 and other methods with 405', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 'certificates.list.x']) {
      const r = await f.request(`/_rpc/${name}`, { method: 'POST', body: {} });
      expect(r.status, name).toBe(404);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
    const get = await f.request('/_rpc/certificates.list');
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    expect(get.json).toMatchObject({ ok: false });
  });

  it('streams a change event after a PUT, and traffic-shaped events, over /_events', async () => {
    const events = await openEvents(f.port, '/_events');
    try {
      expect(events.status).toBe(200);
      expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(events.headers['cache-control']).toBe('no-store');
      const put = await f.request('/apis/orders', { method: 'PUT', body: { properties: { displayName: 'Orders', path: 'orders', serviceUrl: 'https://b.example' } } });
      expect(put.status).toBe(201);
      const change = await events.waitFor((e) => e.event === 'changes');
      expect(change.data).toEqual({ kind: 'api', action: 'created', id: 'orders' });
      await f.request('/_rpc/security.set', { method: 'POST', body: { apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } } });
      const policy = await events.waitFor((e) => e.event === 'changes' && (e.data as { kind: string }).kind === 'policy');
      expect(policy.data).toEqual({ kind: 'policy', action: 'updated', id: 'orders' });
      expect(events.text()).toMatch(/^: connected\n\n/);
    } finally {
      events.close();
    }
  });

  it('refuses /_events without the token', async () => {
    expect((await f.request('/_events', { auth: false })).status).toBe(401);
  });

  it('lets the CLI call a running instance with callAdmin', async () => {
    const list = await callAdmin(f.server.url, TOKEN, 'certificates.list', {});
    expect(list.ok && list.value.map((c) => c.id)).toEqual(['client1']);
    const failure = await callAdmin(f.server.url, TOKEN, 'apis.get', { id: 'nope' });
    expect(failure).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const wrongToken = await callAdmin(`${f.server.url}/`, 'wrong-token-wrong-token', 'apis.list', {});
    expect(wrongToken).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('reports an instance that is gone as an internal network failure, not a throw', async () => {
    const gone = await startFixture();
    const url = gone.server.url;
    await gone.close();
    const r = await callAdmin(url, TOKEN, 'apis.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', details: { reason: 'network' } } });
  });
});

describe('event stream subscriptions', () => {
  it('unsubscribes when the client goes away', async () => {
    const t = await startFixture();
    let active = 0;
    const subscribe = <C extends keyof Subscriptions>(channel: C, listener: (e: Subscriptions[C]) => void): (() => void) => {
      active++;
      const off = t.core.subscribe(channel, listener);
      return () => {
        active--;
        off();
      };
    };
    const started = await startAdminServer({ operations: t.core.operations, subscribe, port: 0, token: TOKEN });
    if (!started.ok) throw new Error(started.error.message);
    try {
      const events = await openEvents(started.value.port, '/_events');
      expect(active).toBe(2);
      events.close();
      await expect.poll(() => active).toBe(0);
      const follow = await openEvents(started.value.port, '/gateway/traffic?follow=1');
      expect(active).toBe(1);
      follow.close();
      await expect.poll(() => active).toBe(0);
    } finally {
      await started.value.close();
      await t.close();
    }
  });
});
