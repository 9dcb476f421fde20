import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../main/core/dispatch/dispatch';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { testCore } from '../../../helpers/core';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, startBackend, type Echo, type TestBackend } from './helpers';

/**
 * Operations through the whole stack: the core's store and policies (API and operation scopes), the real
 * gateway, and one real back end that requires a client certificate and sees which one each call presents.
 */
describe('a different client certificate per operation, to one mTLS back end', () => {
  let pki: TestPki;
  let certA: CertFiles;
  let certB: CertFiles;
  let backend: TestBackend;
  let gateway: Gateway;
  let base: string;
  let t: Awaited<ReturnType<typeof testCore>>;

  beforeAll(async () => {
    pki = await createTestPki();
    certA = await pki.issueClient({ cn: 'orders-reader' });
    certB = await pki.issueClient({ cn: 'orders-refunds' });
    backend = await startBackend(pki);
    t = await testCore();
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    await t.core.attachGateway(gateway);
    const ops = t.core.operations;
    for (const [id, cert] of [['cert-a', certA], ['cert-b', certB]] as const) {
      const pfx = await pki.exportPfx(cert, { password: 'pw' });
      const up = await dispatch(ops, 'certificates.upload', { id, data: pfx.data.toString('base64'), password: 'pw' });
      if (!up.ok) throw new Error(up.error.message);
    }
    const ca = await dispatch(ops, 'caCertificates.upload', { id: 'test-ca', pem: pki.ca.certPem });
    if (!ca.ok) throw new Error(ca.error.message);
    const api = await dispatch(ops, 'apis.create', {
      id: 'shop',
      displayName: 'Shop',
      path: 'shop',
      serviceUrl: `${backend.url}/svc`,
      backendTls: { trustedCaCertificateIds: ['test-ca'] },
    });
    if (!api.ok) throw new Error(api.error.message);
    const security = await dispatch(ops, 'security.set', { apiId: 'shop', security: { type: 'certificate', certificateId: 'cert-a' } });
    if (!security.ok) throw new Error(security.error.message);
  });

  afterAll(async () => {
    await t?.core.attachGateway(null);
    await gateway?.stop();
    await backend?.close();
    await t?.remove();
    await pki?.remove();
  });

  it('forwards every path of an API without operations, presenting the API certificate', async () => {
    const reply = await call(base, '/shop/anything/at/all?x=1', { method: 'PATCH' });
    expect(reply.status).toBe(200);
    expect(reply.json<Echo>()).toMatchObject({ thumbprint: certA.thumbprint, url: '/svc/anything/at/all?x=1', method: 'PATCH' });
  });

  it("presents the operation's own certificate where its policy replaces the API's, the API's elsewhere", async () => {
    const ops = t.core.operations;
    for (const op of [
      { id: 'get-order', displayName: 'Get an order', method: 'GET', urlTemplate: '/orders/{orderId}' },
      { id: 'refund', displayName: 'Refund an order', method: 'POST', urlTemplate: '/orders/{orderId}/refund' },
    ]) {
      const made = await dispatch(ops, 'operations.create', { apiId: 'shop', ...op });
      if (!made.ok) throw new Error(made.error.message);
    }
    const policy = await dispatch(ops, 'policies.set', {
      apiId: 'shop',
      operationId: 'refund',
      xml: '<policies><inbound><base /><authentication-certificate certificate-id="cert-b" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>',
    });
    if (!policy.ok) throw new Error(policy.error.message);

    const read = await call(base, '/shop/orders/42');
    expect(read.status).toBe(200);
    expect(read.json<Echo>()).toMatchObject({ thumbprint: certA.thumbprint, url: '/svc/orders/42' });
    expect(gateway.traffic(1)[0]).toMatchObject({ apiId: 'shop', operationId: 'get-order', certificateId: 'cert-a', status: 200 });

    const refund = await call(base, '/shop/orders/42/refund', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(refund.status).toBe(200);
    expect(refund.json<Echo>()).toMatchObject({ thumbprint: certB.thumbprint, url: '/svc/orders/42/refund', method: 'POST' });
    expect(gateway.traffic(1)[0]).toMatchObject({ apiId: 'shop', operationId: 'refund', certificateId: 'cert-b', thumbprint: certB.thumbprint });

    // Interleaved calls keep their own certificates (two pools on one back end).
    const both = await Promise.all([call(base, '/shop/orders/1'), call(base, '/shop/orders/2/refund', { method: 'POST' }), call(base, '/shop/orders/3')]);
    expect(both.map((r) => r.json<Echo>().thumbprint)).toEqual([certA.thumbprint, certB.thumbprint, certA.thumbprint]);
  });

  it('answers a call no operation matches with 404 no-operation, listed in the traffic log', async () => {
    const reply = await call(base, '/shop/customers/7', { method: 'DELETE' });
    expect(reply.status).toBe(404);
    expect(reply.json<{ error: { code: string; api: string } }>().error).toMatchObject({ code: 'no-operation', api: 'shop' });
    expect(gateway.traffic(1)[0]).toMatchObject({ apiId: 'shop', status: 404, errorCode: 'no-operation', path: '/shop/customers/7', method: 'DELETE' });
    const wrongMethod = await call(base, '/shop/orders/42/refund');
    expect(wrongMethod.status).toBe(404);
  });

  it('moves a call back to the API certificate once the operation is deleted, and refuses to delete a certificate in use', async () => {
    const refused = await t.core.operations['certificates.delete']({ id: 'cert-b' });
    expect(!refused.ok && refused.error.message).toContain('the operation "Refund an order" of "Shop"');
    await t.core.operations['operations.delete']({ apiId: 'shop', id: 'refund' });
    const after = await call(base, '/shop/orders/42/refund', { method: 'POST' });
    expect(after.status).toBe(404);
    await t.core.operations['operations.delete']({ apiId: 'shop', id: 'get-order' });
    const all = await call(base, '/shop/orders/42/refund', { method: 'POST' });
    expect(all.json<Echo>().thumbprint).toBe(certA.thumbprint);
    expect((await t.core.operations['certificates.delete']({ id: 'cert-b' })).ok).toBe(true);
  });
});
