import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../main/core/app/core';
import { startEchoBackend, type EchoBackend, type EchoResponse } from '../../../../main/cli/tools/echo-backend';
import { testCore } from '../../../helpers/core';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { tempDir } from '../../../helpers/temp-dir';
import { BILLING_PASSWORD, headerPolicy, must } from './fixture';
import { freePort, get, nginxTest, startNginx, wrapExport } from './nginx-run';

/** Every file under a folder, relative, with '/' separators. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Whether nginx is installed (CI and the dev container have it; a laptop may not). */
function hasNginx(): boolean {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The exported nginx configuration, run for real against mTLS back ends. */
describe('export to nginx', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  let core: Core;
  let pki: TestPki;
  let client: CertFiles;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let mtls: EchoBackend;
  let plain: EchoBackend;

  beforeAll(async () => {
    t = await testCore();
    core = t.core;
    work = await tempDir();
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    mtls = await startEchoBackend({ acceptAnyClientCertificate: true, caOutDir: path.join(work.path, 'mtls-ca') });
    plain = await startEchoBackend({ requireClientCertificate: false, caOutDir: path.join(work.path, 'plain-ca') });
    const pfx = await pki.exportPfx(client, { password: 'pw', chain: pki.ca });
    await must(core, 'certificates.upload', { id: 'client1', data: pfx.data.toString('base64'), password: 'pw' });
    await must(core, 'caCertificates.upload', { id: 'echo-ca', pem: mtls.caPem });
    await must(core, 'caCertificates.upload', { id: 'plain-ca', pem: plain.caPem });
    // nginx checks names against DNS names only (not IP addresses): the back ends are called as localhost.
    await must(core, 'apis.create', {
      id: 'orders',
      displayName: 'Orders',
      path: 'orders/v1',
      serviceUrl: `https://localhost:${mtls.port}/base`,
      backendTls: { trustedCaCertificateIds: ['echo-ca'] },
    });
    await must(core, 'security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    await must(core, 'apis.create', {
      id: 'Billing API',
      displayName: 'Billing',
      path: 'billing',
      serviceUrl: `https://localhost:${plain.port}`,
      backendTls: { trustedCaCertificateIds: ['plain-ca'] },
    });
    await must(core, 'security.set', { apiId: 'Billing API', security: { type: 'basic', username: 'svc', password: BILLING_PASSWORD } });
    const basic = (await must(core, 'policies.get', { apiId: 'Billing API' })).xml.match(/<authentication-basic[^>]*\/>/)?.[0] ?? '';
    await must(core, 'policies.set', { apiId: 'Billing API', xml: headerPolicy(basic) });
  });

  afterAll(async () => {
    await mtls?.close();
    await plain?.close();
    await t?.remove();
    await pki?.remove();
    await work?.remove();
  });

  it('preview: key and credential files are listed without content; the config points at them', async () => {
    const preview = await must(core, 'export.preview', { format: 'nginx' });
    expect(preview.files.map((f) => [f.path, f.containsPrivateKey, f.content === null])).toEqual([
      ['certgate.conf', false, false],
      ['ca/orders.crt', false, false],
      ['certs/client1.crt', false, false],
      ['keys/client1.key', true, true],
      [expect.stringMatching(/^secrets\/billing-api-[0-9a-f]{8}-authorization\.conf$/), true, true],
      [expect.stringMatching(/^ca\/billing-api-[0-9a-f]{8}\.crt$/), false, false],
    ]);
    for (const f of preview.files) expect(f.content ?? '').not.toContain('PRIVATE KEY');
    const conf = preview.files[0]?.content ?? '';
    expect(conf).toContain('proxy_ssl_certificate_key /etc/nginx/certgate/keys/client1.key;');
    expect(conf).toContain(`server localhost:${mtls.port};`);
    expect(conf).not.toContain(BILLING_PASSWORD);
    expect(preview.files.find((f) => f.path === 'certs/client1.crt')?.content).toContain(client.certPem.trim());
    expect(preview.warnings.join('\n')).toContain('The private key of the certificate "client1"');
  });

  it('without keys: no key or credential file is written, and no written file holds a private key', async () => {
    const out = path.join(work.path, 'no-keys');
    const result = await must(core, 'export.write', { format: 'nginx', outDir: out, withKeys: false });
    expect(result.outDir).toBe(out);
    const onDisk = await listFiles(out);
    expect(onDisk).toEqual(result.files.filter((f) => !f.containsPrivateKey).map((f) => f.path).sort());
    expect(onDisk.some((p) => p.startsWith('keys/') || p.startsWith('secrets/'))).toBe(false);
    for (const p of onDisk) expect(await readFile(path.join(out, p), 'utf8')).not.toContain('PRIVATE KEY');
    expect(await readFile(path.join(out, 'certgate.conf'), 'utf8')).toContain(`proxy_ssl_certificate_key ${out}/keys/client1.key;`);
  });

  it.runIf(hasNginx())('with keys: nginx -t accepts it, and a real nginx presents the exported certificate to the mTLS back end', async () => {
    const out = path.join(work.path, 'with-keys');
    const result = await must(core, 'export.write', { format: 'nginx', outDir: out, withKeys: true });
    const secrets = result.files.filter((f) => f.containsPrivateKey);
    expect(secrets.map((f) => f.path)).toEqual(['keys/client1.key', expect.stringMatching(/^secrets\/billing-api-[0-9a-f]{8}-authorization\.conf$/)]);
    for (const f of secrets) {
      expect(f.content).toBeNull();
      expect((await stat(path.join(out, f.path))).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(path.join(out, f.path)))).mode & 0o777).toBe(0o700);
    }
    expect(await readFile(path.join(out, 'keys/client1.key'), 'utf8')).toContain('PRIVATE KEY');

    const dir = path.join(work.path, 'nginx');
    const port = await freePort();
    const conf = await wrapExport(dir, out, port);
    const tested = await nginxTest(dir, conf);
    expect(tested.output).toContain('test is successful');
    expect(tested.ok).toBe(true);

    const nginx = await startNginx(dir, conf, port);
    try {
      const first = await get(port, '/orders/v1/hello?x=1&x=2');
      expect(first.status, first.body).toBe(200);
      const echo = JSON.parse(first.body) as EchoResponse;
      expect(echo.clientCertificate?.thumbprint).toBe(client.thumbprint);
      expect(echo.path).toBe('/base/hello');
      expect(echo.query).toEqual({ x: ['1', '2'] });
      expect(echo.headers['host']).toBe(`localhost:${mtls.port}`);
      expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');

      const exact = JSON.parse((await get(port, '/orders/v1')).body) as EchoResponse;
      expect(exact.path).toBe('/base');
      expect((await get(port, '/orders/v1x')).status).toBe(404);

      const billing = await get(port, '/billing/items', { 'X-Tags': 'client', 'X-Internal': 'secret', 'X-Api-Key': 'theirs' });
      expect(billing.status, billing.body).toBe(200);
      const seen = JSON.parse(billing.body) as EchoResponse;
      expect(seen.path).toBe('/items');
      expect(seen.headers).toMatchObject({
        authorization: `Basic ${Buffer.from(`svc:${BILLING_PASSWORD}`).toString('base64')}`,
        'x-api-key': 'k$1"x',
        'x-tags': 'client, gw',
        'x-client': 'dflt',
      });
      expect(seen.headers['x-internal']).toBeUndefined();
      expect(billing.headers['x-served-by']).toBe('certgate');
    } finally {
      await nginx.stop();
    }
    expect(nginx.process.exitCode ?? nginx.process.signalCode).not.toBeNull();
  });
});

/** One call through nginx with any method. */
function call(port: number, method: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Operations: a location per operation, each presenting its own certificate to one mTLS back end. */
describe('export to nginx: operations', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  let pki: TestPki;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let mtls: EchoBackend;
  let client: CertFiles;
  let refunds: CertFiles;

  beforeAll(async () => {
    t = await testCore();
    work = await tempDir();
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    refunds = await pki.issueClient({ cn: 'refunds' });
    mtls = await startEchoBackend({ acceptAnyClientCertificate: true, caOutDir: path.join(work.path, 'mtls-ca') });
    const core = t.core;
    for (const [id, files] of [['client1', client], ['refunds', refunds]] as const) {
      const pfx = await pki.exportPfx(files, { password: 'pw' });
      await must(core, 'certificates.upload', { id, data: pfx.data.toString('base64'), password: 'pw' });
    }
    await must(core, 'caCertificates.upload', { id: 'echo-ca', pem: mtls.caPem });
    await must(core, 'apis.create', { id: 'shop', displayName: 'Shop', path: 'shop', serviceUrl: `https://localhost:${mtls.port}/base`, backendTls: { trustedCaCertificateIds: ['echo-ca'] } });
    await must(core, 'security.set', { apiId: 'shop', security: { type: 'certificate', certificateId: 'client1' } });
    const ops = [
      ['get-order', 'GET', '/orders/{id}'],
      ['refund', 'POST', '/orders/{id}/refund'],
      ['recent', 'GET', '/orders/recent'],
      ['files', '*', '/files/*'],
    ] as const;
    for (const [id, method, urlTemplate] of ops) await must(core, 'operations.create', { apiId: 'shop', id, displayName: id, method, urlTemplate });
    await must(core, 'policies.set', {
      apiId: 'shop',
      operationId: 'refund',
      xml: '<policies><inbound><base /><authentication-certificate certificate-id="refunds" /><set-header name="X-Op" exists-action="override"><value>refund</value></set-header></inbound></policies>',
    });
  });

  afterAll(async () => {
    await mtls?.close();
    await t?.remove();
    await pki?.remove();
    await work?.remove();
  });

  it('preview: one internal location per operation, its own upstream where its certificate differs', async () => {
    const preview = await must(t.core, 'export.preview', { format: 'nginx' });
    const conf = preview.files[0]?.content ?? '';
    expect(conf.match(/^ {4}location \^~ \/\.certgate\/shop\/\d-[a-z0-9_]+\/ \{$/gm)).toHaveLength(4);
    expect(conf).toContain('upstream certgate_shop {');
    expect(conf).toContain('upstream certgate_shop__refunds {');
    expect(conf).toContain('proxy_ssl_certificate /etc/nginx/certgate/certs/refunds.crt;');
    // Literal segments first: /orders/recent before /orders/{id}.
    expect(conf.indexOf('/orders/recent/?$')).toBeLessThan(conf.indexOf('/orders/[^/]+/?$'));
    expect(preview.files.map((f) => f.path)).toEqual(expect.arrayContaining(['certs/client1.crt', 'certs/refunds.crt', 'keys/refunds.key']));
  });

  it.runIf(hasNginx())('with keys: nginx -t accepts it; each operation presents its certificate; a call no operation answers is 404 no-operation', async () => {
    const out = path.join(work.path, 'ops-with-keys');
    const written = await must(t.core, 'export.write', { format: 'nginx', outDir: out, withKeys: true });
    const internal = /location \^~ (\/\.certgate\/shop\/0-[a-z0-9_]+)\//.exec(written.files[0]?.content ?? '')?.[1];
    expect(internal).toBeDefined();
    const dir = path.join(work.path, 'ops-nginx');
    const port = await freePort();
    const conf = await wrapExport(dir, out, port);
    const tested = await nginxTest(dir, conf);
    expect(tested.output).toContain('test is successful');
    const nginx = await startNginx(dir, conf, port);
    try {
      const seen = async (method: string, target: string): Promise<EchoResponse> => {
        const r = await call(port, method, target);
        expect(r.status, `${method} ${target}: ${r.body}`).toBe(200);
        return JSON.parse(r.body) as EchoResponse;
      };
      // Alternate, so that a kept-alive connection opened with one certificate is never reused for the other.
      for (let i = 0; i < 3; i++) {
        const order = await seen('GET', '/shop/orders/7');
        expect([order.path, order.clientCertificate?.thumbprint, order.headers['x-op']]).toEqual(['/base/orders/7', client.thumbprint, undefined]);
        const refund = await seen('POST', '/shop/orders/7/refund');
        expect([refund.method, refund.path, refund.clientCertificate?.thumbprint, refund.headers['x-op']]).toEqual(['POST', '/base/orders/7/refund', refunds.thumbprint, 'refund']);
      }
      expect((await seen('GET', '/shop/orders/recent?page=2')).query).toEqual({ page: '2' });
      expect((await seen('DELETE', '/shop/files/a/b.txt')).path).toBe('/base/files/a/b.txt');
      expect((await seen('GET', '/SHOP/Orders/8/')).path).toBe('/base/Orders/8/');
      const refused: [string, string][] = [['GET', '/shop/orders/7/refund'], ['GET', '/shop/nothing'], ['GET', '/shop'], ['PUT', '/shop/orders/7']];
      for (const [method, target] of refused) {
        const r = await call(port, method, target);
        expect(r.status, `${method} ${target}`).toBe(404);
        expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'no-operation', api: 'shop' } });
      }
      // The internal locations cannot be called from outside.
      expect((await call(port, 'GET', `${internal ?? ''}/shop/orders/1`)).status).toBe(404);
    } finally {
      await nginx.stop();
    }
  });
});
