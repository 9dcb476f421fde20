import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis, DiagnosisStep } from '../../../../preload/contract';
import { diagnoseRoute, type LookupFn } from '../../../../main/core/diagnose/diagnose-route';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { freePort, material, route, startBackend, startOpensslBackend, type TestBackend } from '../gateway/helpers';
import { issueServerWithDates, startSilentServer } from './helpers';

const TIMEOUT_MS = 5_000;
/** Resolves every name to 127.0.0.1 (our servers listen there only; the system may prefer ::1 for localhost). */
const loopback: LookupFn = async () => [{ address: '127.0.0.1', family: 4 }];

function step(d: Diagnosis, name: DiagnosisStep['step']): DiagnosisStep {
  const found = d.steps.find((s) => s.step === name);
  if (!found) throw new Error(`no ${name} step`);
  return found;
}

function outcomes(d: Diagnosis): string[] {
  return d.steps.map((s) => `${s.step}:${s.outcome}`);
}

/** Real TLS servers on 127.0.0.1:0; each failure the diagnosis explains, produced for real. */
describe('diagnoseRoute', () => {
  let pki: TestPki;
  let client: CertFiles;
  let stranger: CertFiles;
  let mtls: TestBackend;
  const seen: IncomingHttpHeaders[] = [];
  const closers: (() => Promise<void>)[] = [];
  const recorder = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  };

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    stranger = await pki.issueClient({ cn: 'stranger', ca: await pki.createCa('Other CA') });
    mtls = await startBackend(pki, { handler: recorder });
    closers.push(() => mtls.close());
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await pki?.remove();
  });

  it('success: TLS version, cipher, the server chain, client certificate required and accepted, HTTP 200, credentials sent', async () => {
    seen.length = 0;
    const d = await diagnoseRoute(
      route(pki, { apiId: 'orders', serviceUrl: `${mtls.url}/svc`, clientCertificate: material(client, 'cert-1'), basicAuth: { username: 'svc', password: 'p@ss' } }),
      { timeoutMs: TIMEOUT_MS },
    );
    expect(d.problems).toEqual([]);
    expect(d.ok).toBe(true);
    expect(outcomes(d)).toEqual(['resolve:skipped', 'connect:ok', 'tls:ok', 'client-certificate:ok', 'http:ok']);
    expect(d.tls).toMatchObject({ version: 'TLSv1.3', chainValid: true, chainError: null, nameValid: true, nameError: null });
    expect(d.tls?.cipher).toMatch(/^TLS_AES_/);
    expect(d.tls?.serverChain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=CertGate Test CA', thumbprint: pki.server.thumbprint });
    expect(d.tls?.serverChain[0]?.subjectAltNames).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
    expect(d.tls?.serverChain[0]?.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(d.tls?.serverChain[1]).toMatchObject({ subject: 'CN=CertGate Test CA', thumbprint: pki.ca.thumbprint });
    expect(d.clientCertificate).toEqual({ required: true, presented: { id: 'cert-1', thumbprint: client.thumbprint }, accepted: true, alert: null });
    expect(d.httpStatus).toBe(200);
    expect(step(d, 'http').detail).toBe('GET /svc → 200 OK.');
    for (const s of d.steps) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    // The probe without a certificate was refused; the one with it carried the route's basic credentials.
    expect(seen.map((h) => h.authorization)).toEqual([`Basic ${Buffer.from('svc:p@ss').toString('base64')}`]);
    expect(JSON.stringify(d)).not.toMatch(/PRIVATE KEY|p@ss/);
  });

  it('a back end that does not ask for a client certificate: not required', async () => {
    const open = await startBackend(pki, { clientCas: [], handler: recorder });
    closers.push(() => open.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'open', serviceUrl: open.url }), { timeoutMs: TIMEOUT_MS });
    expect(d.ok).toBe(true);
    expect(d.clientCertificate).toEqual({ required: false, presented: null, accepted: null, alert: null });
    expect(step(d, 'client-certificate').detail).toBe('Not required: the back end answered without one (HTTP 200).');

    // Like the gateway, the next address is tried when one does not accept the connection.
    const twoAddresses: LookupFn = async () => [{ address: '127.0.0.2', family: 4 }, { address: '127.0.0.1', family: 4 }];
    const next = await diagnoseRoute(route(pki, { apiId: 'open', serviceUrl: `https://localhost:${open.port}` }), { timeoutMs: TIMEOUT_MS, lookup: twoAddresses });
    expect(next.ok).toBe(true);
    expect(step(next, 'connect').detail).toBe(`Connected to 127.0.0.1:${open.port} (127.0.0.2:${open.port} did not accept the connection).`);
  });

  it.each(['TLSv1.3', 'TLSv1.2'] as const)('no client certificate configured but one required (%s)', async (maxVersion) => {
    const backend = maxVersion === 'TLSv1.3' ? mtls : await startBackend(pki, { maxVersion });
    if (backend !== mtls) closers.push(() => backend.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'orders', serviceUrl: backend.url }), { timeoutMs: TIMEOUT_MS });
    expect(d.ok).toBe(false);
    const alert = maxVersion === 'TLSv1.3' ? 'certificate_required' : 'handshake_failure';
    expect(d.clientCertificate).toEqual({ required: true, presented: null, accepted: null, alert });
    expect(d.problems).toEqual([
      {
        code: 'backend-certificate-required',
        message: `The back end asks for a client certificate and this API sends none (TLS alert ${alert}).`,
        fix: 'Set Security → Mutual certificates, with a client certificate the back end trusts.',
      },
    ]);
    expect(step(d, 'client-certificate').outcome).toBe('failed');
  });

  it.each(['TLSv1.3', 'TLSv1.2'] as const)('an untrusted client certificate, refused by Node without an alert (%s)', async (maxVersion) => {
    const backend = maxVersion === 'TLSv1.3' ? mtls : await startBackend(pki, { maxVersion });
    if (backend !== mtls) closers.push(() => backend.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'orders', serviceUrl: backend.url, clientCertificate: material(stranger, 'stranger') }), { timeoutMs: TIMEOUT_MS });
    expect(d.clientCertificate).toMatchObject({ required: true, accepted: false, alert: null });
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({ code: 'backend-certificate-rejected', fix: "Give it the 'Other CA' certificate, or use a client certificate it trusts." });
    expect(d.problems[0]?.message).toMatch(/^The back end most likely does not trust the issuer of stranger \(CN=Other CA\): it closed the connection without a TLS alert/);
  });

  it.each(['TLSv1.3', 'TLSv1.2'] as const)('an untrusted client certificate, refused by OpenSSL with unknown_ca (%s)', async (maxVersion) => {
    const backend = await startOpensslBackend(pki, maxVersion);
    closers.push(() => backend.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'orders', serviceUrl: backend.url, clientCertificate: material(stranger, 'stranger') }), { timeoutMs: TIMEOUT_MS });
    expect(d.clientCertificate).toMatchObject({ required: true, accepted: false, alert: 'unknown_ca' });
    expect(d.problems).toEqual([
      {
        code: 'backend-certificate-rejected',
        message: 'The back end does not trust the issuer of stranger (CN=Other CA): it refused the certificate with TLS alert unknown_ca.',
        fix: "Give it the 'Other CA' certificate, or use a client certificate it trusts.",
      },
    ]);
    const good = await diagnoseRoute(route(pki, { apiId: 'orders', serviceUrl: backend.url, clientCertificate: material(client) }), { timeoutMs: TIMEOUT_MS });
    expect(good.problems).toEqual([]);
    expect(good.tls?.version).toBe(maxVersion);
  });

  it('an untrusted server (unknown CA): chain shown anyway, credentials withheld; a warning only when chain validation is off', async () => {
    const open = await startBackend(pki, { clientCas: [], handler: recorder });
    closers.push(() => open.close());
    seen.length = 0;
    const untrusting = { validateCertificateChain: true, validateCertificateName: true, caPems: [] };
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: open.url, tls: untrusting, basicAuth: { username: 'u', password: 'secret' } }), { timeoutMs: TIMEOUT_MS });
    expect(d.tls).toMatchObject({ chainValid: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', nameValid: true });
    expect(d.tls?.serverChain[0]?.thumbprint).toBe(pki.server.thumbprint);
    expect(d.problems).toEqual([
      {
        code: 'backend-untrusted',
        message: "The back end's certificate (CN=localhost) is issued by CN=CertGate Test CA, which this API does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE).",
        fix: "Add the 'CertGate Test CA' certificate to this API's trusted CA certificates, or turn off certificate chain validation for this API.",
      },
    ]);
    expect(step(d, 'tls').outcome).toBe('failed');
    expect(step(d, 'http').detail).toContain('Sent without the basic-auth credentials');
    expect(seen.map((h) => h.authorization)).toEqual([undefined]);

    const lenient = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: open.url, tls: { ...untrusting, validateCertificateChain: false } }), { timeoutMs: TIMEOUT_MS });
    expect(lenient.ok).toBe(true);
    expect(step(lenient, 'tls')).toMatchObject({ outcome: 'warning' });
    expect(step(lenient, 'tls').detail).toContain('which this API does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE). This API does not validate the chain');
  });

  it('a name mismatch, through a resolved host name', async () => {
    const contoso = await pki.issueServer({ cn: 'api.contoso.com', dnsNames: ['api.contoso.com'], ips: [] });
    const backend = await startBackend(pki, { cert: contoso, clientCas: [] });
    closers.push(() => backend.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `https://localhost:${backend.port}/` }), { timeoutMs: TIMEOUT_MS, lookup: loopback });
    expect(step(d, 'resolve')).toMatchObject({ outcome: 'ok', detail: 'localhost is 127.0.0.1.' });
    expect(d.tls).toMatchObject({ chainValid: true, nameValid: false });
    expect(d.tls?.nameError).toContain('DNS:api.contoso.com');
    expect(d.problems).toEqual([
      {
        code: 'backend-name-mismatch',
        message: "The name localhost is not in the back end's certificate (DNS:api.contoso.com).",
        fix: 'Call it by a name it has, or turn off name validation for this API.',
      },
    ]);
  });

  it('an expired server certificate, said explicitly', async () => {
    const expired = await issueServerWithDates(pki.dir, pki.ca, {
      cn: 'api.contoso.com',
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2025-01-01T00:00:00Z'),
      dnsNames: ['localhost'],
      ips: ['127.0.0.1'],
    });
    const backend = await startBackend(pki, { cert: expired, clientCas: [] });
    closers.push(() => backend.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: backend.url }), { timeoutMs: TIMEOUT_MS });
    expect(d.tls).toMatchObject({ chainValid: false, chainError: 'CERT_HAS_EXPIRED', nameValid: true });
    expect(d.problems).toEqual([
      { code: 'backend-untrusted', message: "The back end's certificate expired on 2025-01-01 (CN=api.contoso.com).", fix: 'Renew it on the server.' },
    ]);
  });

  it('a refused connection (a closed port)', async () => {
    const port = await freePort();
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `https://127.0.0.1:${port}` }), { timeoutMs: TIMEOUT_MS });
    expect(outcomes(d)).toEqual(['resolve:skipped', 'connect:failed', 'tls:skipped', 'client-certificate:skipped', 'http:skipped']);
    expect(d.problems).toEqual([
      {
        code: 'backend-unreachable',
        message: `Nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED).`,
        fix: 'Start the back end, or fix the host and port in the web service URL.',
      },
    ]);
  });

  it('a host name that does not resolve', async () => {
    const lookup: LookupFn = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: 'https://api.invalid/' }), { timeoutMs: TIMEOUT_MS, lookup });
    expect(d.problems.map((p) => [p.code, p.message])).toEqual([['backend-unreachable', 'The host name api.invalid does not resolve (ENOTFOUND).']]);
    expect(outcomes(d)[0]).toBe('resolve:failed');
  });

  it('a server that accepts TCP and never answers: backend-timeout within the timeout', async () => {
    const silent = await startSilentServer();
    closers.push(() => silent.close());
    const started = performance.now();
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `https://127.0.0.1:${silent.port}`, clientCertificate: material(client) }), { timeoutMs: 300 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_500);
    expect(outcomes(d)).toEqual(['resolve:skipped', 'connect:ok', 'tls:failed', 'client-certificate:skipped', 'http:skipped']);
    expect(d.problems.map((p) => p.code)).toEqual(['backend-timeout']);
    expect(d.problems[0]?.message).toBe(`The back end at 127.0.0.1:${silent.port} accepted the TCP connection but did not complete a TLS handshake within 300 ms.`);
    expect(silent.accepted()).toBe(1);
  });

  it('a back end that completes the handshake and never answers the GET: backend-timeout at the http step', async () => {
    const stuck = await startBackend(pki, { clientCas: [], handler: () => undefined });
    closers.push(() => stuck.close());
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `${stuck.url}/slow` }), { timeoutMs: 400 });
    expect(outcomes(d)).toEqual(['resolve:skipped', 'connect:ok', 'tls:ok', 'client-certificate:skipped', 'http:failed']);
    expect(d.problems).toEqual([
      { code: 'backend-timeout', message: 'The back end did not answer GET /slow within 400 ms.', fix: 'Check that the back end is not stuck or overloaded, or raise the timeout.' },
    ]);
  });

  it('a plain HTTP back end: no TLS steps; a client certificate there is a warning', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(recorder);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    const d = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `http://127.0.0.1:${port}/a/b`, clientCertificate: material(client) }), { timeoutMs: TIMEOUT_MS });
    expect(outcomes(d)).toEqual(['resolve:skipped', 'connect:ok', 'tls:skipped', 'client-certificate:warning', 'http:ok']);
    expect(d.tls).toBeNull();
    expect(d.httpStatus).toBe(200);
    expect(d.ok).toBe(true);

    const https = await diagnoseRoute(route(pki, { apiId: 'x', serviceUrl: `https://127.0.0.1:${port}/` }), { timeoutMs: TIMEOUT_MS });
    expect(outcomes(https)).toEqual(['resolve:skipped', 'connect:ok', 'tls:failed', 'client-certificate:skipped', 'http:skipped']);
    expect(https.problems.map((p) => p.code)).toEqual(['backend-unreachable']);
    expect(https.problems[0]?.message).toMatch(new RegExp(`^The back end at 127\\.0\\.0\\.1:${port} does not speak TLS on this port`));
    expect(https.problems[0]?.fix).toBe('Use http:// in the web service URL if the back end is plain HTTP, or fix the port.');
  });
});
