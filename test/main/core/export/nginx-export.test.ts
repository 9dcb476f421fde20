import { execFileSync } from 'node:child_process';
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
