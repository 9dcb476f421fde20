import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/temp-dir';
import { startFixture, type AdminFixture } from './admin-fixture';

const SECRET = 'outside-the-renderer-folder';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

describe('the console files (browser mode)', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let f: AdminFixture;

  beforeAll(async () => {
    root = await tempDir();
    const rendererDir = path.join(root.path, 'renderer');
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>CertGate</title><script type="module" src="/assets/app.js"></script>');
    await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("hi");');
    await writeFile(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
    await writeFile(path.join(rendererDir, 'assets', 'start-CaC6TrV1.js'), 'export {};');
    await writeFile(path.join(rendererDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(root.path, 'secret.txt'), SECRET);
    if (process.platform !== 'win32') await symlink(path.join(root.path, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
    f = await startFixture({ rendererDir });
  });
  afterAll(async () => {
    for (const body of f.bodies) expect(body).not.toContain(SECRET);
    await f.close();
    await root.remove();
  });

  it('lets the browser keep hashed assets for good, and revalidate the page and anything else', async () => {
    const hashed = await f.request('/assets/start-CaC6TrV1.js', { auth: false });
    expect(hashed.status).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/settings', '/assets/app.js']) {
      const r = await f.request(url, { auth: false });
      expect(r.status, url).toBe(200);
      expect(r.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves index.html at / without a token, with the CSP and security headers', async () => {
    const r = await f.request('/', { auth: false });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<title>CertGate</title>');
    expect(r.headers['content-security-policy']).toBe(CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect((await f.request('/index.html', { auth: false })).headers['content-security-policy']).toBe(CSP);
  });

  it('serves assets with their content types', async () => {
    const js = await f.request('/assets/app.js', { auth: false });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBeUndefined();
    expect((await f.request('/assets/app.css', { auth: false })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await f.request('/assets/logo.svg', { auth: false })).headers['content-type']).toBe('image/svg+xml');
    const head = await f.request('/assets/app.js', { method: 'HEAD', auth: false });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('serves index.html for client-side routes, 404 for missing files', async () => {
    const route = await f.request('/settings/language', { auth: false });
    expect(route.status).toBe(200);
    expect(route.text).toContain('<title>CertGate</title>');
    expect((await f.request('/assets/missing.js', { auth: false })).status).toBe(404);
  });

  it('never serves a file outside the folder', async () => {
    for (const target of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets/link.txt',
      `/${encodeURIComponent(path.join(root.path, 'secret.txt'))}`,
      '/assets/app.js%00.txt',
    ]) {
      const r = await f.request(target, { auth: false });
      expect(r.status, target).toBe(404);
      expect(r.text).not.toContain(SECRET);
    }
    for (const target of ['/..', '/%2e%2e', '/assets/..%2f..']) {
      const r = await f.request(target, { auth: false });
      expect(r.text, target).not.toContain(SECRET);
    }
  });

  it('refuses other methods on the console files with 405', async () => {
    const r = await f.request('/', { method: 'POST', body: {}, auth: false });
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe('GET, HEAD');
  });

  it('still requires the token for the API next to the console', async () => {
    expect((await f.request('/certificates', { auth: false })).status).toBe(401);
  });
});

describe('without a renderer folder', () => {
  it('answers / with 404', async () => {
    const f = await startFixture({ rendererDir: null });
    try {
      const r = await f.request('/', { auth: false });
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ error: { code: 'not-found' } });
    } finally {
      await f.close();
    }
  });
});
