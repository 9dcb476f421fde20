import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { fakeDiagnose } from './fake-diagnose';

vi.mock('../../../../main/core/services/diagnose-service', async () => ({
  diagnoseOperations: (await import('./fake-diagnose')).fakeDiagnoseOperations,
}));

describe('rotation of a certificate an operation uses (real core, fake preflight)', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let old: MadeCertificate;
  let next: MadeCertificate;
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeAll(async () => {
    fixtures = await tempDir();
    old = makeClientPfx(fixtures.path, 'client1', 'pw-old');
    next = makeClientPfx(fixtures.path, 'client1-new', 'pw-new');
  });
  afterAll(async () => fixtures.remove());
  beforeEach(async () => {
    fakeDiagnose.reset();
    t = await testCore();
  });
  afterEach(async () => t.remove());

  it("switches the operation's policy and leaves the API's own policy without a certificate", async () => {
    const ops = t.core.operations;
    expect((await ops['certificates.upload']({ data: old.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    expect((await ops['apis.create']({ id: 'shop', displayName: 'Shop', path: 'shop', serviceUrl: 'https://localhost:9/shop' })).ok).toBe(true);
    expect((await ops['operations.create']({ apiId: 'shop', id: 'refund', displayName: 'Refund', method: 'POST', urlTemplate: '/refund' })).ok).toBe(true);
    const opXml = '<policies><inbound><base /><authentication-certificate certificate-id="client1" /></inbound></policies>';
    expect((await ops['policies.set']({ apiId: 'shop', operationId: 'refund', xml: opXml })).ok).toBe(true);
    const apiBefore = await ops['policies.get']({ apiId: 'shop' });
    const r = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new', fileName: 'new.pfx' });
    expect(r.ok && r.value.switched).toEqual(['shop']);
    const opAfter = await ops['policies.get']({ apiId: 'shop', operationId: 'refund' });
    expect(opAfter.ok && opAfter.value.xml).toContain(`certificate-id="${r.ok ? r.value.newCertificate.id : ''}"`);
    expect(await ops['policies.get']({ apiId: 'shop' })).toEqual(apiBefore);
    const expiring = await ops['certificates.expiring']({ withinDays: 3650 });
    expect(expiring.ok && expiring.value.find((e) => e.certificateId !== 'client1')?.usedBy).toEqual([
      { apiId: 'shop', apiName: 'Shop', reference: 'certificate-id', operationId: 'refund', operationName: 'Refund' },
    ]);
  });

  it('records the operations it switched (API and operation ids), and rolls back exactly those', async () => {
    const ops = t.core.operations;
    expect((await ops['certificates.upload']({ data: old.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    expect((await ops['apis.create']({ id: 'shop', displayName: 'Shop', path: 'shop', serviceUrl: 'https://localhost:9/shop' })).ok).toBe(true);
    for (const [id, urlTemplate] of [['refund', '/refund'], ['list', '/orders']] as const) {
      expect((await ops['operations.create']({ apiId: 'shop', id, displayName: id, method: 'POST', urlTemplate })).ok).toBe(true);
    }
    const opXml = '<policies><inbound><base /><authentication-certificate certificate-id="client1" /></inbound></policies>';
    expect((await ops['policies.set']({ apiId: 'shop', operationId: 'refund', xml: opXml })).ok).toBe(true);
    const r = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new' });
    if (!r.ok || !r.value.rotation) throw new Error('not rotated');
    expect(r.value.rotation).toMatchObject({ apiIds: ['shop'], operations: [{ apiId: 'shop', operationId: 'refund' }], global: false });
    expect((await ops['certificates.rotations']({})).ok && (await ops['certificates.rotations']({}))).toMatchObject({ value: [{ operations: [{ apiId: 'shop', operationId: 'refund' }] }] });
    expect((await ops['certificates.rollback']({ rotationId: r.value.rotation.id })).ok).toBe(true);
    const back = await ops['policies.get']({ apiId: 'shop', operationId: 'refund' });
    expect(back.ok && back.value.xml).toContain('certificate-id="client1"');
  });

  it('rotates a certificate the global policy presents: preflights the APIs that inherit it, switches and records the global policy, rolls it back', async () => {
    const ops = t.core.operations;
    expect((await ops['certificates.upload']({ data: old.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    for (const id of ['orders', 'billing']) {
      expect((await ops['apis.create']({ id, displayName: id, path: id, serviceUrl: `https://localhost:9/${id}` })).ok).toBe(true);
    }
    // billing presents its own (no) credential: it does not inherit the global one.
    expect((await ops['policies.set']({ apiId: 'billing', xml: '<policies><inbound /></policies>' })).ok).toBe(true);
    const globalXml = '<policies><inbound><authentication-certificate certificate-id="client1" /></inbound><backend /><outbound /><on-error /></policies>';
    expect((await ops['globalPolicy.set']({ xml: globalXml })).ok).toBe(true);
    const refused = await ops['certificates.delete']({ id: 'client1' });
    expect(!refused.ok && refused.error.message).toMatch(/All APIs/);

    fakeDiagnose.failing.add('orders');
    const failed = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new' });
    expect(failed.ok && failed.value).toMatchObject({ rotation: null, switched: [], preflight: [{ apiId: 'orders', ok: false }] });
    expect(fakeDiagnose.calls.map((c) => c.apiId)).toEqual(['orders']);
    expect(await ops['globalPolicy.get']({})).toMatchObject({ ok: true, value: { xml: globalXml } });

    fakeDiagnose.reset();
    const r = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new' });
    if (!r.ok || !r.value.rotation) throw new Error(`not rotated: ${JSON.stringify(r)}`);
    const newId = r.value.newCertificate.id;
    expect(r.value.rotation).toMatchObject({ fromCertificateId: 'client1', toCertificateId: newId, apiIds: [], operations: [], global: true });
    const after = await ops['globalPolicy.get']({});
    expect(after.ok && after.value.xml).toContain(`certificate-id="${newId}"`);
    const effective = await ops['policies.effective']({ apiId: 'orders' });
    expect(effective.ok && effective.value.xml).toContain(`certificate-id="${newId}"`);
    const kept = await ops['certificates.get']({ id: 'client1' });
    expect(kept.ok && kept.value.usedBy).toEqual([]);
    const rotations = await ops['certificates.rotations']({});
    expect(rotations.ok && rotations.value.map((x) => x.global)).toEqual([true]);

    expect((await ops['certificates.rollback']({ rotationId: r.value.rotation.id })).ok).toBe(true);
    expect(await ops['globalPolicy.get']({})).toMatchObject({ ok: true, value: { xml: expect.stringContaining('certificate-id="client1"') } });
  });

  it('switches the global policy with an explicit choice only when asked (global: true)', async () => {
    const ops = t.core.operations;
    expect((await ops['certificates.upload']({ data: old.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    expect((await ops['apis.create']({ id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://localhost:9/orders' })).ok).toBe(true);
    const globalXml = '<policies><inbound><authentication-certificate certificate-id="client1" /></inbound><backend /><outbound /><on-error /></policies>';
    expect((await ops['globalPolicy.set']({ xml: globalXml })).ok).toBe(true);
    const dry = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new', apiIds: ['orders'] });
    expect(dry.ok && dry.value).toMatchObject({ rotation: null, switched: [] });
    expect(await ops['globalPolicy.get']({})).toMatchObject({ ok: true, value: { xml: globalXml } });
    const chosen = await ops['certificates.rotate']({ id: 'client1', data: next.pfx.toString('base64'), password: 'pw-new', apiIds: [], global: true });
    expect(chosen.ok && chosen.value.rotation).toMatchObject({ global: true, apiIds: [] });
  });
});
