import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent, Rotation } from '../../../../preload/contract';
import type { StoreData } from '../../../../main/core/store/schema';
import { nextId } from '../../../../main/core/services/rotation-service';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { fakeDiagnose } from './fake-diagnose';

vi.mock('../../../../main/core/services/diagnose-service', async () => ({
  diagnoseOperations: (await import('./fake-diagnose')).fakeDiagnoseOperations,
}));

describe('certificate rotation (real core, fake preflight)', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let old: MadeCertificate;
  let next: MadeCertificate;
  let third: MadeCertificate;
  let t: Awaited<ReturnType<typeof testCore>>;

  beforeAll(async () => {
    fixtures = await tempDir();
    old = makeClientPfx(fixtures.path, 'client1', 'pw-old');
    next = makeClientPfx(fixtures.path, 'client1-new', 'pw-new');
    third = makeClientPfx(fixtures.path, 'client1-third', 'pw-third');
  });
  afterAll(async () => fixtures.remove());

  beforeEach(async () => {
    fakeDiagnose.reset();
    t = await testCore();
    const ops = t.core.operations;
    expect((await ops['certificates.upload']({ data: old.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    for (const [id, p] of [['orders', 'orders'], ['payments', 'payments'], ['other', 'other']] as const) {
      expect((await ops['apis.create']({ id, displayName: id[0]!.toUpperCase() + id.slice(1), path: p, serviceUrl: `https://localhost:9/${id}` })).ok).toBe(true);
    }
    await ops['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    // payments refers to the certificate by thumbprint: a rotation rewrites it to certificate-id.
    const xml = (await ops['policies.get']({ apiId: 'orders' })) as { ok: true; value: { xml: string } };
    const byThumbprint = xml.value.xml.replace('certificate-id="client1"', `thumbprint="${thumbprintOf(old.certPem)}"`);
    expect((await ops['policies.set']({ apiId: 'payments', xml: byThumbprint })).ok).toBe(true);
  });
  afterEach(async () => t.remove());

  const rotate = (cert: MadeCertificate, password: string, extra: Record<string, unknown> = {}) =>
    t.core.operations['certificates.rotate']({ id: 'client1', data: cert.pfx.toString('base64'), password, fileName: 'new.pfx', ...extra });
  const storeFile = async (): Promise<StoreData> => JSON.parse(await readFile(path.join(t.dir, 'certgate.json'), 'utf8')) as StoreData;
  const presented = async (apiId: string) => {
    const s = await t.core.operations['security.get']({ apiId });
    return s.ok && s.value.type === 'certificate' ? s.value.certificateId : null;
  };

  it('a failed preflight switches nothing; the new certificate stays uploaded for a retry', async () => {
    fakeDiagnose.failing.add('payments');
    const before = await storeFile();
    const r = await rotate(next, 'pw-new');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ rotation: null, switched: [], newCertificate: { id: 'client1-2', thumbprint: thumbprintOf(next.certPem) } });
    expect(r.value.preflight.map((p) => [p.apiId, p.apiName, p.ok])).toEqual([['orders', 'Orders', true], ['payments', 'Payments', false]]);
    expect(r.value.preflight[1]?.diagnosis.problems[0]?.code).toBe('backend-certificate-rejected');
    expect(fakeDiagnose.calls).toEqual([{ apiId: 'orders', certificateId: 'client1-2' }, { apiId: 'payments', certificateId: 'client1-2' }]);

    const after = await storeFile();
    expect(after.apis).toEqual(before.apis);
    expect(after.rotations).toEqual([]);
    expect(after.certificates.map((c) => c.id)).toEqual(['client1', 'client1-2']);
    expect([await presented('orders'), await presented('payments')]).toEqual(['client1', 'client1']);

    // Once the back end is fixed, the same command again reuses the uploaded certificate.
    fakeDiagnose.reset();
    const again = await rotate(next, 'pw-new');
    expect(again.ok && again.value.switched).toEqual(['orders', 'payments']);
    expect((await storeFile()).certificates.map((c) => c.id)).toEqual(['client1', 'client1-2']);
  });

  it('a passing preflight switches every API and records the rotation in one write', async () => {
    const events: ChangeEvent[] = [];
    t.core.subscribe('changes', (e) => events.push(e));
    const r = await rotate(next, 'pw-new');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.switched).toEqual(['orders', 'payments']);
    expect(r.value.rotation).toMatchObject({ fromCertificateId: 'client1', toCertificateId: 'client1-2', apiIds: ['orders', 'payments'], rolledBackAt: null });
    expect(r.value.rotation?.id).toMatch(/^rot-[0-9a-f]{10}$/);
    expect(events).toEqual([
      { kind: 'certificate', action: 'created', id: 'client1-2' },
      { kind: 'policy', action: 'updated', id: 'orders' },
      { kind: 'policy', action: 'updated', id: 'payments' },
    ]);
    // On disk: both policies present the new certificate by id, and the rotation is there with them.
    const data = await storeFile();
    for (const apiId of ['orders', 'payments']) {
      expect(data.apis.find((a) => a.id === apiId)?.policyXml).toContain('<authentication-certificate certificate-id="client1-2" />');
    }
    expect(data.apis.find((a) => a.id === 'other')?.policyXml).not.toContain('authentication-certificate');
    expect(data.rotations).toEqual([r.value.rotation]);
    // The old certificate is kept, unused, until the operator deletes it.
    const oldCert = await t.core.operations['certificates.get']({ id: 'client1' });
    expect(oldCert.ok && oldCert.value.usedBy).toEqual([]);
    expect(await t.core.operations['certificates.rotations']({})).toEqual({ ok: true, value: [r.value.rotation] });
  });

  it('the operator may choose the APIs to switch after a failed preflight', async () => {
    fakeDiagnose.failing.add('payments');
    const r = await rotate(next, 'pw-new', { newId: 'client1-2025', apiIds: ['orders'] });
    expect(r.ok && r.value.switched).toEqual(['orders']);
    expect(r.ok && r.value.preflight.map((p) => p.ok)).toEqual([true, false]);
    expect([await presented('orders'), await presented('payments')]).toEqual(['client1-2025', 'client1']);
    const stranger = await rotate(next, 'pw-new', { newId: 'client1-2025', apiIds: ['other'] });
    expect(!stranger.ok && stranger.error.code).toBe('validation');
  });

  it('rollback switches the APIs back in one write; a second rollback is refused', async () => {
    const r = await rotate(next, 'pw-new');
    const rotation = r.ok ? (r.value.rotation as Rotation) : null;
    expect(rotation).not.toBeNull();
    const events: ChangeEvent[] = [];
    t.core.subscribe('changes', (e) => events.push(e));
    const back = await t.core.operations['certificates.rollback']({ rotationId: rotation!.id });
    expect(back.ok).toBe(true);
    expect(back.ok && back.value.rolledBackAt).toEqual(expect.any(String));
    expect([await presented('orders'), await presented('payments')]).toEqual(['client1', 'client1']);
    expect(events).toEqual([{ kind: 'policy', action: 'updated', id: 'orders' }, { kind: 'policy', action: 'updated', id: 'payments' }]);
    const data = await storeFile();
    expect(data.rotations[0]?.rolledBackAt).toBe(back.ok ? back.value.rolledBackAt : 'missing');
    expect(data.apis.filter((a) => a.policyXml.includes('certificate-id="client1"')).map((a) => a.id)).toEqual(['orders', 'payments']);

    const twice = await t.core.operations['certificates.rollback']({ rotationId: rotation!.id });
    expect(!twice.ok && twice.error).toMatchObject({ code: 'validation', message: expect.stringContaining('already rolled back') });
    const unknown = await t.core.operations['certificates.rollback']({ rotationId: 'rot-nope' });
    expect(!unknown.ok && unknown.error.code).toBe('not-found');
  });

  it('rollback is refused, clearly, once the old certificate was deleted', async () => {
    const r = await rotate(next, 'pw-new');
    expect((await t.core.operations['certificates.delete']({ id: 'client1' })).ok).toBe(true);
    const back = await t.core.operations['certificates.rollback']({ rotationId: r.ok ? r.value.rotation!.id : '' });
    expect(!back.ok && back.error).toMatchObject({ code: 'not-found', message: expect.stringContaining('Upload it again with the id "client1"') });
    expect(await presented('orders')).toBe('client1-2');
  });

  it('derives new ids, and refuses the old certificate itself or a taken id', async () => {
    expect(nextId('client1', ['client1'])).toBe('client1-2');
    expect(nextId('client1-2', ['client1', 'client1-2', 'CLIENT1-3'])).toBe('client1-4');
    expect(nextId('a'.repeat(80), [])).toBe(`${'a'.repeat(78)}-2`);
    const same = await rotate(old, 'pw-old');
    expect(!same.ok && same.error.code).toBe('duplicate');
    const taken = await rotate(third, 'pw-third', { newId: 'client1' });
    expect(!taken.ok && taken.error.code).toBe('validation');
    const first = await rotate(next, 'pw-new');
    expect(first.ok && first.value.newCertificate.id).toBe('client1-2');
    const takenId = await rotate(third, 'pw-third', { newId: 'client1-2' });
    expect(!takenId.ok && takenId.error.code).toBe('duplicate');
    const wrong = await rotate(third, 'nope');
    expect(!wrong.ok && wrong.error.code).toBe('bad-password');
    const missing = await t.core.operations['certificates.rotate']({ id: 'nope', data: third.pfx.toString('base64'), password: 'pw-third' });
    expect(!missing.ok && missing.error.code).toBe('not-found');
    const data = await storeFile();
    expect(data.certificates.map((c) => c.id)).toEqual(['client1', 'client1-2']);
    // Refused uploads leave no key behind in the vault.
    const vaultFiles = (await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin')).map((n) => n.slice(0, -4));
    expect(vaultFiles.sort()).toEqual(data.certificates.map((c) => c.secretRef).sort());
  });

  it('a certificate no API uses is rotated by upload alone', async () => {
    await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'none' } });
    await t.core.operations['security.set']({ apiId: 'payments', security: { type: 'none' } });
    const r = await rotate(next, 'pw-new');
    expect(r.ok && r.value).toMatchObject({ rotation: null, preflight: [], switched: [] });
    expect(fakeDiagnose.calls).toEqual([]);
  });
});
