import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend, type EchoBackend, type EchoResponse } from '../../../../main/cli/tools/echo-backend';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { tempDir } from '../../../helpers/temp-dir';

interface Reply {
  status: number;
  body: string;
}

function get(backend: EchoBackend, pathAndQuery: string, client: CertFiles | null, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${backend.url}${pathAndQuery}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: backend.caPem,
        agent: false,
        ...(client ? { key: client.keyPem, cert: client.certPem } : {}),
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('startEchoBackend', () => {
  let pki: TestPki;
  let client: CertFiles;
  let selfSigned: CertFiles;
  const started: EchoBackend[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'echo-client' });
    selfSigned = await pki.createCa('self-signed-client');
  });

  afterAll(async () => {
    for (const b of started) await b.close();
    await pki?.remove();
  });

  it('echoes the request and the client certificate of a trusted CA, and writes its CA to caOutDir', async () => {
    const dir = await tempDir();
    try {
      const backend = await startEchoBackend({ trustCaPems: [pki.ca.certPem], caOutDir: path.join(dir.path, 'out') });
      started.push(backend);
      expect(backend.url).toBe(`https://127.0.0.1:${backend.port}`);
      expect(await readFile(path.join(dir.path, 'out', 'ca.crt'), 'utf8')).toBe(backend.caPem);
      expect(new X509Certificate(backend.caPem).ca).toBe(true);

      const reply = await get(backend, '/a/b?x=1&x=2&y=z', client, 'y'.repeat(5000));
      expect(reply.status).toBe(200);
      const echo = JSON.parse(reply.body) as EchoResponse;
      expect(echo).toMatchObject({
        method: 'POST',
        path: '/a/b',
        query: { x: ['1', '2'], y: 'z' },
        body: { size: 5000, truncated: true },
        clientCertificate: { subject: 'CN=echo-client', thumbprint: client.thumbprint, issuer: 'CN=CertGate Test CA' },
        tls: { version: 'TLSv1.3' },
      });
      expect(echo.body.text).toHaveLength(4096);
      expect(echo.headers['content-length']).toBe('5000');
      expect(new Date(echo.clientCertificate?.notAfter ?? '').getTime()).toBeGreaterThan(Date.now());
      expect(echo.tls.cipher).toBeTruthy();

      // A certificate from another CA is refused by TLS.
      await expect(get(backend, '/', selfSigned)).rejects.toThrow();
    } finally {
      await dir.remove();
    }
  });

  it('accepts any client certificate when asked, and refuses calls without one with 401', async () => {
    const backend = await startEchoBackend({ acceptAnyClientCertificate: true });
    started.push(backend);
    const ok = await get(backend, '/', selfSigned);
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as EchoResponse).clientCertificate?.thumbprint).toBe(selfSigned.thumbprint);
    const refused = await get(backend, '/', null);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'client-certificate-required' } });
  });

  it('can answer calls without a certificate when it does not require one', async () => {
    const backend = await startEchoBackend({ requireClientCertificate: false });
    started.push(backend);
    const reply = await get(backend, '/open', null);
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.body) as EchoResponse).clientCertificate).toBeNull();
  });
});
