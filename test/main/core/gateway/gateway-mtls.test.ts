import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, material, route, startBackend, startOpensslBackend, type Echo, type TestBackend } from './helpers';

/** Real back ends with real TLS: success, policies, and every back-end error code produced for real. */
describe('gateway against mTLS back ends', () => {
  let pki: TestPki;
  let client: CertFiles;
  let stranger: CertFiles;
  let backend: TestBackend;
  let gateway: Gateway;
  let base: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    const otherCa = await pki.createCa('Other CA');
    stranger = await pki.issueClient({ cn: 'stranger', ca: otherCa });
    backend = await startBackend(pki);
    closers.push(() => backend.close());
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const close of closers) await close();
    await pki?.remove();
  });

  it('presents the route certificate: the back end sees its thumbprint; path, query and method are kept', async () => {
    gateway.apply({ routes: [route(pki, { apiId: 'orders', serviceUrl: `${backend.url}/svc`, clientCertificate: material(client, 'cert-1') })] });
    const reply = await call(base, '/ORDERS/42/lines?expand=a&expand=b', { method: 'DELETE' });
    expect(reply.status).toBe(200);
    const echo = reply.json<Echo>();
    expect(echo.thumbprint).toBe(client.thumbprint);
    expect(echo.method).toBe('DELETE');
    expect(echo.url).toBe('/svc/42/lines?expand=a&expand=b');
    expect(echo.headers.host).toBe(`127.0.0.1:${backend.port}`);
    expect(reply.headers['x-certgate-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(reply.headers['x-backend']).toBe('yes');
    const entry = gateway.traffic(1)[0];
    expect(entry).toMatchObject({
      requestId: reply.headers['x-certgate-request-id'],
      method: 'DELETE',
      path: '/ORDERS/42/lines',
      apiId: 'orders',
      status: 200,
      certificateId: 'cert-1',
      thumbprint: client.thumbprint,
      errorCode: null,
    });
  });

  it('adds X-Forwarded headers, drops hop-by-hop ones, applies set-header and basic auth both ways', async () => {
    gateway.apply({
      routes: [
        route(pki, {
          apiId: 'hdr',
          serviceUrl: backend.url,
          clientCertificate: material(client),
          basicAuth: { username: 'svc', password: 'p@ss:word' },
          inboundHeaders: [
            { name: 'X-Api-Key', existsAction: 'override', values: ['k-123'] },
            { name: 'X-Client', existsAction: 'skip', values: ['ignored'] },
            { name: 'X-Tags', existsAction: 'append', values: ['gw'] },
            { name: 'X-Internal', existsAction: 'delete', values: [] },
          ],
          outboundHeaders: [
            { name: 'Server', existsAction: 'delete', values: [] },
            { name: 'X-Served-By', existsAction: 'override', values: ['certgate'] },
          ],
        }),
      ],
    });
    const reply = await call(base, '/hdr/x', {
      headers: [
        'Host', new URL(base).host, 'X-Forwarded-For', '10.1.2.3', 'Connection', 'keep-alive, X-Hop', 'X-Hop', 'secret', 'Proxy-Authorization', 'Basic Zm9vOmJhcg==',
        'Authorization', 'Bearer from-client', 'X-Api-Key', 'client-key', 'X-Client', 'mine', 'X-Tags', 'client', 'X-Internal', '1',
      ],
    });
    expect(reply.status).toBe(200);
    const h = reply.json<Echo>().headers;
    expect(h['x-forwarded-for']).toBe('10.1.2.3, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe(new URL(base).host);
    expect(h['x-hop']).toBeUndefined();
    expect(h['proxy-authorization']).toBeUndefined();
    expect(h.authorization).toBe(`Basic ${Buffer.from('svc:p@ss:word').toString('base64')}`);
    expect(h['x-api-key']).toBe('k-123');
    expect(h['x-client']).toBe('mine');
    expect(h['x-tags']).toBe('client, gw');
    expect(h['x-internal']).toBeUndefined();
    expect(reply.headers.server).toBeUndefined();
    expect(reply.headers['x-served-by']).toBe('certgate');
  });

  it('streams a 5 MB body up and a chunked body of unknown length', async () => {
    gateway.apply({ routes: [route(pki, { apiId: 'up', serviceUrl: backend.url, clientCertificate: material(client) })] });
    const big = Buffer.alloc(5 * 1024 * 1024, 7);
    const reply = await call(base, '/up/files', { method: 'POST', body: big, headers: { 'content-type': 'application/octet-stream' } });
    expect(reply.status).toBe(200);
    expect(reply.json<Echo>().bodySize).toBe(big.length);
    const chunked = await call(base, '/up/files', { method: 'PUT', body: 'x'.repeat(1000), headers: { 'transfer-encoding': 'chunked' } });
    expect(chunked.json<Echo>().bodySize).toBe(1000);
  });

  it('reuses one keep-alive connection: N sequential calls, one handshake', async () => {
    const own = await startBackend(pki);
    closers.push(() => own.close());
    gateway.apply({ routes: [route(pki, { apiId: 'ka', serviceUrl: own.url, clientCertificate: material(client) })] });
    const before = gateway.status().counters.backendHandshakes;
    for (let i = 0; i < 10; i++) expect((await call(base, `/ka/${i}`)).status).toBe(200);
    expect(own.handshakes()).toBe(1);
    expect(gateway.status().counters.backendHandshakes - before).toBe(1);
    expect(gateway.traffic(10).map((e) => e.handshake)).toEqual(['new', ...Array<string>(9).fill('reused')]);
  });

  it('sends the host name as SNI, and no SNI to an IP address', async () => {
    const own = await startBackend(pki);
    closers.push(() => own.close());
    gateway.apply({ routes: [route(pki, { apiId: 'byname', serviceUrl: `https://localhost:${own.port}`, clientCertificate: material(client) })] });
    expect((await call(base, '/byname/x')).json<Echo>().headers.host).toBe(`localhost:${own.port}`);
    gateway.apply({ routes: [route(pki, { apiId: 'byip', serviceUrl: own.url, clientCertificate: material(client) })] });
    expect((await call(base, '/byip/x')).status).toBe(200);
    expect(own.serverNames).toEqual(['localhost', false]);
  });

  it('answers 404 no-route as JSON and rejects dot segments', async () => {
    gateway.apply({ routes: [route(pki, { apiId: 'up', serviceUrl: backend.url, clientCertificate: material(client) })] });
    const reply = await call(base, '/nothing/here');
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toContain('application/json');
    expect(reply.json()).toEqual({ error: { code: 'no-route', message: expect.any(String), api: null, requestId: reply.headers['x-certgate-request-id'] } });
    const dots = await call(base, '/up/../admin');
    expect(dots.status).toBe(400);
  });

  describe('back-end failures', () => {
    async function errorOf(path: string): Promise<{ status: number; code: string; message: string; api: string }> {
      const reply = await call(base, path);
      const body = reply.json<{ error: { code: string; message: string; api: string; requestId: string } }>();
      expect(body.error.requestId).toBe(reply.headers['x-certgate-request-id']);
      expect(gateway.traffic(1)[0]?.errorCode).toBe(body.error.code);
      return { status: reply.status, ...body.error };
    }

    it.each(['TLSv1.3', 'TLSv1.2'] as const)('backend-certificate-required: none configured, back end requires one (%s)', async (maxVersion) => {
      const strict = await startBackend(pki, { maxVersion });
      closers.push(() => strict.close());
      gateway.apply({ routes: [route(pki, { apiId: 'nocert', serviceUrl: strict.url })] });
      expect(await errorOf('/nocert/x')).toMatchObject({ status: 502, code: 'backend-certificate-required', api: 'nocert' });
    });

    it.each(['TLSv1.3', 'TLSv1.2'] as const)('backend-certificate-rejected: OpenSSL refuses a certificate from an untrusted CA with unknown_ca (%s)', async (maxVersion) => {
      const openssl = await startOpensslBackend(pki, maxVersion);
      closers.push(() => openssl.close());
      gateway.apply({ routes: [route(pki, { apiId: 'badcert', serviceUrl: openssl.url, clientCertificate: material(stranger) })] });
      const e = await errorOf('/badcert/x');
      expect(e).toMatchObject({ status: 502, code: 'backend-certificate-rejected' });
      expect(e.message).toContain('unknown_ca');
      // The same server accepts the trusted certificate.
      gateway.apply({ routes: [route(pki, { apiId: 'badcert', serviceUrl: openssl.url, clientCertificate: material(client) })] });
      expect((await call(base, '/badcert/x')).status).toBe(200);
    });

    it('a Node back end refuses an untrusted certificate without an alert: backend-reset, with a hint', async () => {
      const strict = await startBackend(pki);
      closers.push(() => strict.close());
      gateway.apply({ routes: [route(pki, { apiId: 'badcert', serviceUrl: strict.url, clientCertificate: material(stranger) })] });
      const e = await errorOf('/badcert/x');
      expect(e).toMatchObject({ status: 502, code: 'backend-reset' });
      expect(e.message).toContain('refused');
    });

    it('backend-untrusted: the back end certificate is not from a trusted CA; chain validation off lets it through', async () => {
      gateway.apply({ routes: [route(pki, { apiId: 'untrusted', serviceUrl: backend.url, clientCertificate: material(client), tls: { validateCertificateChain: true, validateCertificateName: true, caPems: [] } })] });
      expect(await errorOf('/untrusted/x')).toMatchObject({ status: 502, code: 'backend-untrusted' });
      gateway.apply({ routes: [route(pki, { apiId: 'untrusted', serviceUrl: backend.url, clientCertificate: material(client), tls: { validateCertificateChain: false, validateCertificateName: true, caPems: [] } })] });
      expect((await call(base, '/untrusted/x')).status).toBe(200);
    });

    it('backend-name-mismatch: the certificate does not name the host; name validation off lets it through', async () => {
      const wrongName = await pki.issueServer({ cn: 'elsewhere', dnsNames: ['elsewhere.example'], ips: ['10.9.9.9'] });
      const other = await startBackend(pki, { cert: wrongName });
      closers.push(() => other.close());
      gateway.apply({ routes: [route(pki, { apiId: 'name', serviceUrl: other.url, clientCertificate: material(client) })] });
      expect(await errorOf('/name/x')).toMatchObject({ status: 502, code: 'backend-name-mismatch' });
      gateway.apply({ routes: [route(pki, { apiId: 'name', serviceUrl: other.url, clientCertificate: material(client), tls: { validateCertificateChain: true, validateCertificateName: false, caPems: [pki.ca.certPem] } })] });
      expect((await call(base, '/name/x')).status).toBe(200);
      // Chain off but name on: the name is still checked.
      gateway.apply({ routes: [route(pki, { apiId: 'name', serviceUrl: other.url, clientCertificate: material(client), tls: { validateCertificateChain: false, validateCertificateName: true, caPems: [] } })] });
      expect((await call(base, '/name/x')).status).toBe(502);
    });

    it('backend-unreachable: nothing listens on the port', async () => {
      const gone = await startBackend(pki);
      await gone.close();
      gateway.apply({ routes: [route(pki, { apiId: 'gone', serviceUrl: gone.url, clientCertificate: material(client) })] });
      expect(await errorOf('/gone/x')).toMatchObject({ status: 502, code: 'backend-unreachable' });
    });
  });
});
