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
});
