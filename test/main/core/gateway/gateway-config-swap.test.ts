import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, echoHandler, eventually, material, peerThumbprint, route, startBackend, type Echo } from './helpers';

/** apply() while calls are in flight: no failure, the next call uses the new certificate, old pools close. */
describe('gateway configuration swap', () => {
  let pki: TestPki;
  let certA: CertFiles;
  let certB: CertFiles;
  let gateway: Gateway;
  let base: string;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    pki = await createTestPki();
    [certA, certB] = await Promise.all([pki.issueClient({ cn: 'cert-a' }), pki.issueClient({ cn: 'cert-b' })]);
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
  });

  afterEach(async () => {
    await gateway.stop();
    for (const close of closers.splice(0)) await close();
    await pki.remove();
  });

  it('keeps 200 concurrent calls on the old certificate while the next call uses the new one', async () => {
    const held: { req: http.IncomingMessage; res: http.ServerResponse }[] = [];
    let onHeld: (() => void) | null = null;
    const backend = await startBackend(pki, {
      handler: (req, res) => {
        // Calls presenting certificate A wait until released; others are answered at once.
        if (peerThumbprint(req) === certA.thumbprint) {
          req.resume();
          held.push({ req, res });
          if (held.length === 200) onHeld?.();
        } else {
          echoHandler(req, res);
        }
      },
    });
    closers.push(() => backend.close());
    gateway.apply({ routes: [route(pki, { apiId: 'api', serviceUrl: backend.url, clientCertificate: material(certA, 'a') })] });

    const allHeld = new Promise<void>((resolve) => (onHeld = resolve));
    const inFlight = Array.from({ length: 200 }, (_, i) => call(base, `/api/old/${i}`));
    await allHeld;
    expect(gateway.status().counters.inFlight).toBe(200);

    gateway.apply({ routes: [route(pki, { apiId: 'api', serviceUrl: backend.url, clientCertificate: material(certB, 'b') })] });
    const next = await call(base, '/api/new');
    expect(next.status).toBe(200);
    expect(next.json<Echo>().thumbprint).toBe(certB.thumbprint);
    expect(gateway.traffic(1)[0]).toMatchObject({ certificateId: 'b', thumbprint: certB.thumbprint });
    expect(gateway.connectionStats().retiringPools).toBe(1);

    for (const { res } of held) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('old');
    }
    const replies = await Promise.all(inFlight);
    expect(replies.filter((r) => r.status !== 200 || r.body !== 'old')).toEqual([]);
    const oldEntries = gateway.traffic(1000).filter((e) => e.path.startsWith('/api/old/'));
    expect(oldEntries).toHaveLength(200);
    expect(new Set(oldEntries.map((e) => e.certificateId))).toEqual(new Set(['a']));

    // The retired pool closed its connections once its last call ended: only B's connection stays.
    await eventually(() => gateway.connectionStats().retiringPools === 0, 'the old pool to close');
    await eventually(() => backend.openConnections() === 1, 'old back-end connections to close');
    expect(gateway.connectionStats().backendSockets).toEqual({ active: 0, idle: 1 });
  });

  it('keeps the connections of routes that did not change', async () => {
    const one = await startBackend(pki);
    const two = await startBackend(pki);
    closers.push(() => one.close(), () => two.close());
    const first = route(pki, { apiId: 'one', serviceUrl: one.url, clientCertificate: material(certA) });
    gateway.apply({ routes: [first, route(pki, { apiId: 'two', serviceUrl: two.url, clientCertificate: material(certA) })] });
    expect((await call(base, '/one/x')).status).toBe(200);
    expect((await call(base, '/two/x')).status).toBe(200);

    gateway.apply({ routes: [first, route(pki, { apiId: 'two', serviceUrl: two.url, clientCertificate: material(certB) })] });
    expect((await call(base, '/one/x')).json<Echo>().thumbprint).toBe(certA.thumbprint);
    expect((await call(base, '/two/x')).json<Echo>().thumbprint).toBe(certB.thumbprint);
    expect(one.handshakes()).toBe(1);
    expect(two.handshakes()).toBe(2);
    expect(gateway.traffic(2).map((e) => e.handshake)).toEqual(['reused', 'new']);
  });

  it('serves nothing after an empty configuration and reports routes in status()', async () => {
    const one = await startBackend(pki);
    closers.push(() => one.close());
    gateway.apply({ routes: [route(pki, { apiId: 'one', serviceUrl: one.url, clientCertificate: material(certA, 'a') })] });
    expect(gateway.status().routes).toEqual([{ apiId: 'one', path: 'one', serviceUrl: one.url, certificateId: 'a' }]);
    expect((await call(base, '/one/x')).status).toBe(200);
    gateway.apply({ routes: [] });
    expect((await call(base, '/one/x')).status).toBe(404);
    await eventually(() => one.openConnections() === 0, 'the removed route to close its connection');
  });

  it('serves the other APIs when one cannot be activated, and says which in status()', async () => {
    const one = await startBackend(pki);
    closers.push(() => one.close());
    const broken = { ...material(certA, 'broken'), keyPem: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' };
    gateway.apply({
      routes: [
        route(pki, { apiId: 'bad', serviceUrl: one.url, clientCertificate: broken }),
        route(pki, { apiId: 'good', serviceUrl: one.url, clientCertificate: material(certA) }),
      ],
    });
    expect(gateway.status().routes.map((r) => r.apiId)).toEqual(['good']);
    expect(gateway.status().message).toContain('bad');
    expect(gateway.status().message).not.toContain('not a key');
    expect((await call(base, '/good/x')).status).toBe(200);
    expect((await call(base, '/bad/x')).status).toBe(404);
  });
});
