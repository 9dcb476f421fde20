import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend, type EchoBackend, type EchoResponse } from '../../../../main/cli/tools/echo-backend';
import { openInstance, type Instance } from '../../../../main/core/app/instance';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

/** One call through the gateway: the status and the thumbprint the back end saw. */
function call(url: string): Promise<{ status: number; thumbprint: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        const echo = res.statusCode === 200 ? (JSON.parse(body) as EchoResponse) : null;
        resolve({ status: res.statusCode ?? 0, thumbprint: echo?.clientCertificate?.thumbprint ?? null });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('certificate rotation through the admin REST API while the gateway serves traffic', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let echo: EchoBackend;
  let instance: Instance;
  let c1: MadeCertificate;
  let c2: MadeCertificate;

  beforeAll(async () => {
    dir = await tempDir();
    c1 = makeClientPfx(dir.path, 'client1', 'one');
    c2 = makeClientPfx(dir.path, 'client2', 'two');
    echo = await startEchoBackend({ acceptAnyClientCertificate: true });
    const opened = await openInstance({
      dataDir: `${dir.path}/data`,
      secretStore: new MemorySecretStore(),
      gateway: { port: 0 },
      admin: { port: 0 },
    });
    if (!opened.ok) throw new Error(opened.error.message);
    instance = opened.value;
  });
  afterAll(async () => {
    await instance?.close();
    await echo?.close();
    await dir?.remove();
  });

  const admin = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${instance.adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${instance.adminToken}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('PUT with If-Match replaces the certificate: zero failed calls, the next call presents the new one', { timeout: 120_000 }, async () => {
    expect((await admin('PUT', '/certificates/backend', { properties: { data: c1.pfx.toString('base64'), password: 'one' } })).status).toBe(201);
    const ca = await instance.operations['caCertificates.upload']({ pem: echo.caPem });
    if (!ca.ok) throw new Error(ca.error.message);
    expect(
      (await admin('PUT', '/apis/echo', { properties: { displayName: 'Echo', path: 'echo', serviceUrl: echo.url, backendTls: { trustedCaCertificateIds: [ca.value.id] } } })).status,
    ).toBe(201);
    expect((await admin('PUT', '/apis/echo/security', { type: 'certificate', certificateId: 'backend' })).status).toBe(200);
    const url = `${instance.gatewayUrl}/echo/load`;
    expect((await call(url)).thumbprint).toBe(thumbprintOf(c1.certPem));

    // Without If-Match the replace is refused (412) and nothing changes.
    const refused = await admin('PUT', '/certificates/backend', { properties: { data: c2.pfx.toString('base64'), password: 'two' } });
    expect(refused.status).toBe(412);

    let rotated = false;
    let stop = false;
    const results: { status: number; thumbprint: string | null; afterRotation: boolean }[] = [];
    const worker = async (): Promise<void> => {
      while (!stop) {
        const afterRotation = rotated;
        const r = await call(url);
        results.push({ ...r, afterRotation });
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());
    // Let traffic flow, then rotate in the middle of it.
    await new Promise<void>((resolve) => {
      const wait = (): void => (results.length >= 150 ? resolve() : void setImmediate(wait));
      wait();
    });
    const put = await admin('PUT', '/certificates/backend', { properties: { data: c2.pfx.toString('base64'), password: 'two' } }, { 'if-match': '*' });
    expect(put.status).toBe(200);
    rotated = true;
    const next = await call(url);
    expect(next.thumbprint).toBe(thumbprintOf(c2.certPem));
    const mark = results.length;
    await new Promise<void>((resolve) => {
      const wait = (): void => (results.length >= mark + 150 ? resolve() : void setImmediate(wait));
      wait();
    });
    stop = true;
    await Promise.all(workers);

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Every call that started after the PUT returned presented the new certificate.
    expect(results.filter((r) => r.afterRotation && r.thumbprint !== thumbprintOf(c2.certPem))).toEqual([]);
    expect(results.filter((r) => !r.afterRotation && r.thumbprint === thumbprintOf(c1.certPem)).length).toBeGreaterThan(120);
    // The API still refers to the certificate by id: rotation kept the reference.
    const security = await instance.operations['security.get']({ apiId: 'echo' });
    expect(security).toEqual({ ok: true, value: { type: 'certificate', certificateId: 'backend' } });
  });
});
