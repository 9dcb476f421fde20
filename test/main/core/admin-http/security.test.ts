import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer } from '../../../../main/core/admin-http/server';
import { rawRequest, startFixture, TOKEN, type AdminFixture } from './admin-fixture';

describe('admin server: who may talk to it', () => {
  let f: AdminFixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f.close());

  it('listens on loopback and reports its URL and port', () => {
    expect(f.server.url).toBe(`http://127.0.0.1:${f.port}`);
    expect(f.port).toBeGreaterThan(0);
  });

  it('answers an authorised request', async () => {
    const r = await f.request('/certificates');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ value: [], count: 0 });
  });

  it('refuses a missing or wrong token with 401, on every API route, before anything else', async () => {
    for (const [path, method] of [
      ['/certificates', 'GET'],
      ['/certificates/x', 'DELETE'],
      ['/apis', 'GET'],
      ['/gateway', 'GET'],
      ['/_events', 'GET'],
      ['/apis/x/policies/policy', 'GET'],
      ['/nothing-here/../certificates', 'GET'],
    ] as const) {
      const missing = await f.request(path, { method, auth: false });
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await f.request(path, { method, auth: `${TOKEN.slice(0, -1)}X` });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
    const short = await f.request('/certificates', { auth: 'x' });
    expect(short.status).toBe(401);
    const basic = await f.request('/certificates', { auth: false, headers: { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect(basic.json).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers 401 on the RPC route as a Result', async () => {
    const r = await f.request('/_rpc/certificates.list', { method: 'POST', body: {}, auth: false });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a foreign or missing Host header with 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${f.port}`, `127.0.0.1:${f.port + 1}`, `127.0.0.2:${f.port}`, '127.0.0.1', `[::1]:${f.port}`]) {
      const r = await f.request('/certificates', { headers: { Host: host } });
      expect(r.status, host).toBe(403);
      expect(r.json).toMatchObject({ error: { code: 'forbidden' } });
    }
    // No Host at all: Node's parser refuses it (400) before the server's own check would (403).
    const none = await f.request('/certificates', { noHost: true });
    expect([400, 403]).toContain(none.status);
    // Even the console's files are not served to a rebound name.
    const page = await f.request('/', { headers: { Host: `attacker.example:${f.port}` }, auth: false });
    expect(page.status).toBe(403);
  });

  it('accepts its own address and localhost in the Host header', async () => {
    expect((await f.request('/certificates', { headers: { Host: `127.0.0.1:${f.port}` } })).status).toBe(200);
    expect((await f.request('/certificates', { headers: { Host: `LocalHost:${f.port}` } })).status).toBe(200);
  });

  it('refuses a foreign Origin with 403 and never answers with CORS headers', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${f.port + 1}`, `https://127.0.0.1:${f.port}`, 'null']) {
      const r = await f.request('/certificates', { headers: { Origin: origin } });
      expect(r.status, origin).toBe(403);
      const rpc = await f.request('/_rpc/certificates.list', { method: 'POST', body: {}, headers: { Origin: origin } });
      expect(rpc.status).toBe(403);
      expect(rpc.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const preflight = await f.request('/certificates/x', {
      method: 'OPTIONS',
      auth: false,
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(403);
    const own = await f.request('/certificates', { headers: { Origin: `http://127.0.0.1:${f.port}` } });
    expect(own.status).toBe(200);
    const ownLocalhost = await f.request('/certificates', { headers: { Origin: `http://localhost:${f.port}` } });
    expect(ownLocalhost.status).toBe(200);
    for (const r of [preflight, own]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('sends the security headers on API answers', async () => {
    for (const r of [await f.request('/certificates'), await f.request('/certificates', { auth: false }), await f.request('/nope')]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('answers 404 for unknown resources and 405 (with Allow) for unknown methods', async () => {
    expect((await f.request('/certificates/a/b')).status).toBe(404);
    expect((await f.request('/apis/x/operations')).status).toBe(404);
    const r = await f.request('/certificates', { method: 'POST', body: {} });
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe('GET');
    expect((await f.request('/certificates/%E0%A4%A')).status).toBe(400);
  });

  it('refuses a JSON body of another media type with 415', async () => {
    const form = await f.request('/_rpc/certificates.list', { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.json).toMatchObject({ ok: false, error: { code: 'unsupported-media-type' } });
    const text = await f.request('/apis/x', { method: 'PUT', body: '{"properties":{}}', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ error: { code: 'unsupported-media-type' } });
    const none = await f.request('/apis/x', { method: 'PUT', body: '{"properties":{}}' });
    expect(none.status).toBe(415);
    const charset = await f.request('/_rpc/certificates.list', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(charset.status).toBe(200);
  });

  it('refuses malformed JSON with 400', async () => {
    const r = await f.request('/_rpc/apis.list', { method: 'POST', body: '{"', headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses a body declared over 15 MiB with 413 without waiting for it', async () => {
    const { response, written } = await sendLargeBody(f.port, { declared: 16 * 1024 * 1024, send: 1024 * 1024, finish: false });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(response.headers['connection']).toBe('close');
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses a streamed (chunked) body once it passes 15 MiB, with 413', async () => {
    const { response, written } = await sendLargeBody(f.port, { declared: null, send: 16 * 1024 * 1024, finish: true });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(written).toBeGreaterThan(15 * 1024 * 1024 - 1);
    // The server is still fine afterwards.
    expect((await f.request('/certificates')).status).toBe(200);
  });

  it('answers a body full of unknown keys with a small validation failure, never an echo of the keys', async () => {
    // About 3.5 MB of unknown keys (the report: a 7 MB body gave a 15 MB answer).
    const body: Record<string, number> = { language: 1 };
    for (let i = 0; i < 100_000; i++) body[`unknown-key-${i}-${'x'.repeat(16)}`] = i;
    for (const [path, payload] of [
      ['/_rpc/settings.set', body],
      ['/certificates/c1', { properties: { data: 'AAAA', ...body } }],
    ] as const) {
      const r = await f.request(path, { method: path.startsWith('/_rpc') ? 'POST' : 'PUT', body: payload });
      expect(r.status, path).toBe(400);
      expect(r.text.length, path).toBeLessThan(2000);
      expect(r.text).toMatch(/and 99,99[56] more/);
      expect(r.text).toContain('validation');
    }
  });

  it('refuses a request target that is not a path', async () => {
    const r = await rawRequest('127.0.0.1', f.port, `http://127.0.0.1:${f.port}/certificates`);
    expect(r.status).toBe(400);
  });
});

describe('admin server: start and stop', () => {
  it('refuses, as a programming error, any host that is not loopback', async () => {
    const base = { operations: {} as never, subscribe: (() => () => undefined) as never, token: TOKEN, port: 0 };
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'example.com', '::ffff:127.0.0.1']) {
      await expect(startAdminServer({ ...base, host }), host).rejects.toThrow(/loopback/);
    }
    await expect(startAdminServer({ ...base, token: '' })).rejects.toThrow(/token/);
  });

  it('answers a taken port with a validation failure naming it', async () => {
    const f = await startFixture();
    try {
      const second = await startAdminServer({ operations: f.core.operations, subscribe: f.core.subscribe, port: f.port, token: TOKEN });
      expect(second.ok).toBe(false);
      if (second.ok) return;
      expect(second.error.code).toBe('validation');
      expect(second.error.message).toContain(`Port ${f.port} is in use`);
    } finally {
      await f.close();
    }
  });

  it('listens on ::1 when asked, and answers to [::1]:port', async () => {
    const f = await startFixture({ host: '::1' });
    try {
      expect(f.server.url).toBe(`http://[::1]:${f.port}`);
      expect((await f.request('/certificates')).status).toBe(200);
      expect((await f.request('/certificates', { headers: { Host: `127.0.0.1:${f.port}` } })).status).toBe(403);
      expect((await f.request('/certificates', { headers: { Origin: `http://[::1]:${f.port}` } })).status).toBe(200);
    } finally {
      await f.close();
    }
  });

  it('closes promptly with an event stream open, and close is idempotent', async () => {
    const f = await startFixture();
    const events = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: f.port, path: '/_events', headers: { Authorization: `Bearer ${TOKEN}` } }, resolve);
      req.on('error', reject);
      req.end();
    });
    const ended = new Promise((resolve) => events.on('close', resolve).resume());
    const started = Date.now();
    await Promise.all([f.server.close(), f.server.close()]);
    await ended;
    expect(Date.now() - started).toBeLessThan(1_500);
    await f.close();
  });
});

/** Send a large POST to /_rpc/certificates.upload, writing with backpressure until the answer comes. */
function sendLargeBody(
  port: number,
  plan: { readonly declared: number | null; readonly send: number; readonly finish: boolean },
): Promise<{ readonly response: { status: number; headers: IncomingMessage['headers']; json: unknown }; readonly written: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    if (plan.declared !== null) headers['Content-Length'] = String(plan.declared);
    const req = httpRequest({ host: '127.0.0.1', port, path: '/_rpc/certificates.upload', method: 'POST', headers });
    let written = 0;
    let answered = false;
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ response: { status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as unknown }, written });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = (): void => {
      while (!answered && written < plan.send) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && plan.finish) req.end();
    };
    pump();
  });
}
