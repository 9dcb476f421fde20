import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, serveRendererRequest } from '../../../main/shell/app-protocol';
import { contentSecurityPolicy } from '../../../main/shell/csp';

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'certgate-protocol-'));
  rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CertGate</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(rendererDir, 'assets', 'start-CaC6TrV1.js'), 'export {}');
  writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  mkdirSync(path.join(root, 'elsewhere'));
  writeFileSync(path.join(root, 'elsewhere', 'data.js'), 'outside the renderer too');
  // Links inside the renderer folder that point out of it: to a file, and to a folder.
  symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'linked.js'));
  symlinkSync(path.join(root, 'elsewhere'), path.join(rendererDir, 'linked-folder'));
  // A link that stays inside is fine.
  symlinkSync(path.join(rendererDir, 'assets', 'index-abc.js'), path.join(rendererDir, 'assets', 'alias.js'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveRendererRequest(rendererDir, { url, method });

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it('marks hashed assets immutable and revalidates the page and other files', async () => {
    expect((await get('app://certgate/assets/start-CaC6TrV1.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('app://certgate/assets/index-abc.js')).headers.get('cache-control')).toBe('no-cache');
    expect((await get('app://certgate/index.html')).headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the page with the CSP header and nosniff', async () => {
    const res = await get('app://certgate/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy(null));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>CertGate</title>');
  });

  it('serves the root and client-side routes as index.html', async () => {
    expect(await (await get('app://certgate/')).text()).toContain('CertGate');
    expect(await (await get('app://certgate/apis/echo/security')).text()).toContain('CertGate');
  });

  it('serves scripts with a JavaScript type (module scripts require it)', async () => {
    const res = await get('app://certgate/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('follows no symlink out of the renderer folder (the admin server\'s realpath check)', async () => {
    for (const url of ['app://certgate/assets/linked.js', 'app://certgate/linked-folder/data.js']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('outside the renderer');
    }
    const inside = await get('app://certgate/assets/alias.js');
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('console.log(1)');
  });

  it('never reads outside the renderer folder', async () => {
    for (const url of [
      'app://certgate/../secret.txt',
      'app://certgate/%2e%2e/secret.txt',
      'app://certgate/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://certgate/..%5csecret.txt',
    ]) {
      const res = await get(url);
      expect(res.status, url).not.toBe(200);
      expect(await res.text()).not.toContain('outside the renderer');
    }
  });

  it('refuses other hosts, other methods, bad encodings and missing files', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://certgate/index.html', 'POST')).status).toBe(405);
    expect((await get('app://certgate/%E0%A4%A')).status).toBe(400);
    expect((await get('app://certgate/assets/missing.js')).status).toBe(404);
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://certgate/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
