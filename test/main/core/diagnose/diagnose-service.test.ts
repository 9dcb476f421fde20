import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeEvent } from '../../../../preload/contract';
import type { Core } from '../../../../main/core/app/core';
import { testCore } from '../../../helpers/core';
import { createTestPki, type TestPki } from '../../../helpers/pki';
import { startBackend, type TestBackend } from '../gateway/helpers';
import { dispatch } from '../../../../main/core/dispatch/dispatch';

/** `apis.diagnose` through the core: the API's route resolved from the store and the vault, then diagnosed. */
describe('apis.diagnose', () => {
  let pki: TestPki;
  let backend: TestBackend;
  let t: Awaited<ReturnType<typeof testCore>>;
  let core: Core;

  beforeAll(async () => {
    pki = await createTestPki();
    backend = await startBackend(pki);
    t = await testCore();
    core = t.core;
    const client = await pki.issueClient({ cn: 'client1' });
    const stranger = await pki.issueClient({ cn: 'stranger', ca: await pki.createCa('Other CA') });
    for (const [id, cert] of [['client1', client], ['stranger', stranger]] as const) {
      const pfx = await pki.exportPfx(cert, { password: 'pw' });
      const uploaded = await core.operations['certificates.upload']({ id, data: pfx.data.toString('base64'), password: 'pw' });
      if (!uploaded.ok) throw new Error(uploaded.error.message);
    }
    const ca = await core.operations['caCertificates.upload']({ pem: pki.ca.certPem });
    if (!ca.ok) throw new Error(ca.error.message);
    const api = await core.operations['apis.create']({
      id: 'orders',
      displayName: 'Orders',
      path: 'orders',
      serviceUrl: `${backend.url}/svc`,
      backendTls: { trustedCaCertificateIds: [ca.value.id] },
    });
    if (!api.ok) throw new Error(api.error.message);
    const security = await core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    if (!security.ok) throw new Error(security.error.message);
  });

  afterAll(async () => {
    await core?.flush();
    await backend?.close();
    await t?.remove();
    await pki?.remove();
  });

  it("diagnoses the API's back end with its own certificate, and changes nothing", async () => {
    const changes: ChangeEvent[] = [];
    const unsubscribe = core.subscribe('changes', (e) => changes.push(e));
    const before = await core.operations['policies.get']({ apiId: 'orders' });
    const r = await dispatch(core.operations, 'apis.diagnose', { id: 'orders' });
    unsubscribe();
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ apiId: 'orders', url: `${backend.url}/svc`, ok: true, httpStatus: 200, problems: [] });
    expect(r.value.clientCertificate).toMatchObject({ required: true, accepted: true, presented: { id: 'client1' } });
    expect(r.value.tls).toMatchObject({ version: 'TLSv1.3', chainValid: true, nameValid: true });
    expect(changes).toEqual([]);
    expect(await core.operations['policies.get']({ apiId: 'orders' })).toEqual(before);
  });

  it('tries another uploaded certificate on request: one the back end does not trust', async () => {
    const r = await dispatch(core.operations, 'apis.diagnose', { id: 'orders', certificateId: 'stranger', timeoutMs: 5000 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.ok).toBe(false);
    expect(r.value.clientCertificate).toMatchObject({ presented: { id: 'stranger' }, accepted: false });
    expect(r.value.problems.map((p) => p.code)).toEqual(['backend-certificate-rejected']);
    expect(r.value.problems[0]?.fix).toBe("Give it the 'Other CA' certificate, or use a client certificate it trusts.");
  });

  it("diagnoses one operation's route: its own certificate when its policy sets one, else the API's", async () => {
    const ops = core.operations;
    for (const [id, urlTemplate] of [['refund', '/refund'], ['list', '/list']] as const) {
      const created = await ops['operations.create']({ apiId: 'orders', id, displayName: id, method: 'POST', urlTemplate });
      if (!created.ok) throw new Error(created.error.message);
    }
    const xml =
      '<policies><inbound><base /><authentication-certificate certificate-id="stranger" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
    const set = await ops['policies.set']({ apiId: 'orders', operationId: 'refund', xml });
    if (!set.ok) throw new Error(set.error.message);
    try {
      const own = await dispatch(ops, 'apis.diagnose', { id: 'orders', operationId: 'refund', timeoutMs: 5000 });
      if (!own.ok) throw new Error(own.error.message);
      expect(own.value).toMatchObject({ apiId: 'orders', operationId: 'refund', ok: false });
      expect(own.value.clientCertificate).toMatchObject({ presented: { id: 'stranger' }, accepted: false });
      const inherits = await dispatch(ops, 'apis.diagnose', { id: 'orders', operationId: 'list' });
      if (!inherits.ok) throw new Error(inherits.error.message);
      expect(inherits.value).toMatchObject({ operationId: 'list', ok: true, clientCertificate: { presented: { id: 'client1' }, accepted: true } });
      // The API's own diagnosis is unchanged by its operations, and says no operation.
      const api = await dispatch(ops, 'apis.diagnose', { id: 'orders' });
      if (!api.ok) throw new Error(api.error.message);
      expect(api.value.clientCertificate.presented?.id).toBe('client1');
      expect(api.value).not.toHaveProperty('operationId');
      const missing = await dispatch(ops, 'apis.diagnose', { id: 'orders', operationId: 'nope' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: 'The API "orders" has no operation "nope".' } });
    } finally {
      for (const id of ['refund', 'list']) await ops['operations.delete']({ apiId: 'orders', id });
    }
  });

  it('an unknown API or certificate is not-found; a timeout out of range is a validation error', async () => {
    const api = await dispatch(core.operations, 'apis.diagnose', { id: 'nope' });
    expect(api).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const cert = await dispatch(core.operations, 'apis.diagnose', { id: 'orders', certificateId: 'nope' });
    expect(cert).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const timeout = await dispatch(core.operations, 'apis.diagnose', { id: 'orders', timeoutMs: 10 });
    expect(timeout).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
