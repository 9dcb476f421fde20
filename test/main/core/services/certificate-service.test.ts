import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../../preload/contract';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

describe('certificate service', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let client2: MadeCertificate;
  let t: Awaited<ReturnType<typeof testCore>>;

  beforeAll(async () => {
    fixtures = await tempDir();
    client1 = makeClientPfx(fixtures.path, 'client1', 'secret-1');
    client2 = makeClientPfx(fixtures.path, 'client2', 'secret-2');
  });
  afterAll(async () => fixtures.remove());
  beforeEach(async () => {
    t = await testCore();
  });
  afterEach(async () => t.remove());

  const upload = (cert: MadeCertificate, password: string, extra: Record<string, unknown> = {}) =>
    t.core.operations['certificates.upload']({ data: cert.pfx.toString('base64'), password, fileName: 'client.pfx', ...extra });

  it('estimates a file through the contract (dispatch), and an upload whose caller went away stores nothing', async () => {
    const { dispatch } = await import('../../../../main/core/dispatch/dispatch');
    const estimate = await dispatch(t.core.operations, 'certificates.estimate', { data: client1.pfx.toString('base64') });
    expect(estimate.ok && estimate.value.format).toBe('pkcs12');
    expect(estimate.ok && estimate.value.derivations).toBeGreaterThan(0);
    expect(estimate.ok && estimate.value.iterations).toBeGreaterThan(0);
    const controller = new AbortController();
    const uploading = dispatch(t.core.operations, 'certificates.upload', { data: client1.pfx.toString('base64'), password: 'secret-1' }, { signal: controller.signal });
    controller.abort();
    const r = await uploading;
    expect(r.ok === false && r.error.code).toBe('cancelled');
    await expect(t.core.operations['certificates.list']({}).then((l) => l.ok && l.value.length)).resolves.toBe(0);
    const before = await dispatch(t.core.operations, 'certificates.upload', { data: client1.pfx.toString('base64'), password: 'secret-1' }, { signal: AbortSignal.abort() });
    expect(before.ok === false && before.error.code).toBe('cancelled');
  });

  it('uploads a PFX: metadata in the store, key only in the vault, an event emitted', async () => {
    const events: ChangeEvent[] = [];
    t.core.subscribe('changes', (e) => events.push(e));
    const r = await upload(client1, 'secret-1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.created).toBe(true);
    expect(r.value.certificate).toMatchObject({ id: 'client1', commonName: 'client1', thumbprint: thumbprintOf(client1.certPem), keyType: 'RSA' });
    expect(r.value.certificate).not.toHaveProperty('secretRef');
    expect(events).toEqual([{ kind: 'certificate', action: 'created', id: 'client1' }]);
    const storeText = await readFile(path.join(t.dir, 'certgate.json'), 'utf8');
    expect(storeText).toContain(thumbprintOf(client1.certPem));
    expect(storeText).not.toContain('PRIVATE KEY');
    expect(storeText).not.toContain('secret-1');
    for (const name of await readdir(path.join(t.dir, 'vault'))) {
      const bytes = await readFile(path.join(t.dir, 'vault', name));
      expect(bytes.toString('latin1')).not.toContain('PRIVATE KEY');
    }
    const list = await t.core.operations['certificates.list']({});
    expect(list.ok && list.value.map((c) => [c.id, c.usedBy.length])).toEqual([['client1', 0]]);
  });

  it('a wrong password stores nothing and says so', async () => {
    const r = await upload(client1, 'wrong');
    expect(!r.ok && r.error.code).toBe('bad-password');
    expect(!r.ok && r.error.message).toContain('client.pfx');
    const list = await t.core.operations['certificates.list']({});
    expect(list.ok && list.value).toEqual([]);
    expect((await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin'))).toEqual([]);
  });

  it('refuses a duplicate thumbprint unless asked to replace, and an existing id', async () => {
    await upload(client1, 'secret-1');
    const again = await upload(client1, 'secret-1');
    expect(!again.ok && again.error.code).toBe('duplicate');
    expect(!again.ok && again.error.message).toContain('"client1"');
    // The details name the stored certificate, so the console can show and link it.
    const stored = { existingId: 'client1', subject: 'CN=client1,O=CertGate Tests', thumbprint: thumbprintOf(client1.certPem) };
    expect(!again.ok && again.error.details).toEqual(stored);
    const sameId = await upload(client2, 'secret-2', { id: 'client1' });
    expect(!sameId.ok && sameId.error.code).toBe('duplicate');
    expect(!sameId.ok && sameId.error.details).toEqual(stored);
    const sameThumbprintOtherId = await upload(client1, 'secret-1', { id: 'other' });
    expect(!sameThumbprintOtherId.ok && sameThumbprintOtherId.error.details).toEqual(stored);
    const replaced = await upload(client1, 'secret-1', { replace: true });
    expect(replaced.ok && replaced.value.created).toBe(false);
    expect((await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
  });

  it('replace keeps the id and every API reference (rotation), and the old key is gone', async () => {
    await upload(client1, 'secret-1', { id: 'backend-cert' });
    await t.core.operations['apis.create']({ id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://localhost:9443' });
    expect((await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'backend-cert' } })).ok).toBe(true);
    const rotated = await upload(client2, 'secret-2', { id: 'backend-cert', replace: true });
    expect(rotated.ok).toBe(true);
    const got = await t.core.operations['certificates.get']({ id: 'backend-cert' });
    expect(got.ok && got.value.thumbprint).toBe(thumbprintOf(client2.certPem));
    expect(got.ok && got.value.usedBy).toEqual([{ apiId: 'orders', apiName: 'Orders', reference: 'certificate-id' }]);
    expect((await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
  });

  it('a replace pinned to a version is refused once someone else replaced it (precondition-failed)', async () => {
    const first = await upload(client1, 'secret-1', { id: 'pinned' });
    const seen = first.ok ? first.value.certificate.updatedAt : '';
    const stale = '2000-01-01T00:00:00.000Z';
    const refused = await upload(client2, 'secret-2', { id: 'pinned', replace: true, expectedUpdatedAt: stale });
    expect(!refused.ok && refused.error.code).toBe('precondition-failed');
    const still = await t.core.operations['certificates.get']({ id: 'pinned' });
    expect(still.ok && still.value.thumbprint).toBe(thumbprintOf(client1.certPem));
    const accepted = await upload(client2, 'secret-2', { id: 'pinned', replace: true, expectedUpdatedAt: seen });
    expect(accepted.ok).toBe(true);
    expect((await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
  });

  it('validates ids (1-80 characters, none of *#&+:<>?)', async () => {
    const { dispatch } = await import('../../../../main/core/dispatch/dispatch');
    for (const id of ['', 'a'.repeat(81), 'a*b', 'x#y', 'p&q', 'a+b', 'a:b', 'a<b', 'a>b', 'a?b']) {
      const r = await dispatch(t.core.operations, 'certificates.upload', { id, data: client1.pfx.toString('base64'), password: 'secret-1' });
      expect(!r.ok && r.error.code, id).toBe('validation');
    }
    const ok = await upload(client1, 'secret-1', { id: 'Contoso client (2026)' });
    expect(ok.ok && ok.value.certificate.id).toBe('Contoso client (2026)');
  });

  it('delete removes metadata and secret; a certificate in use is refused with its APIs', async () => {
    await upload(client1, 'secret-1');
    await t.core.operations['apis.create']({ id: 'a1', displayName: 'API one', path: 'one', serviceUrl: 'https://localhost:1' });
    await t.core.operations['security.set']({ apiId: 'a1', security: { type: 'certificate', certificateId: 'client1' } });
    const refused = await t.core.operations['certificates.delete']({ id: 'client1' });
    expect(!refused.ok && refused.error.code).toBe('in-use');
    expect(!refused.ok && refused.error.details).toEqual({ usedBy: [{ apiId: 'a1', apiName: 'API one', reference: 'certificate-id' }] });
    expect(!refused.ok && refused.error.message).toContain('"API one"');
    await t.core.operations['security.set']({ apiId: 'a1', security: { type: 'none' } });
    const deleted = await t.core.operations['certificates.delete']({ id: 'client1' });
    expect(deleted).toEqual({ ok: true, value: { id: 'client1' } });
    expect((await readdir(path.join(t.dir, 'vault'))).filter((n) => n.endsWith('.bin'))).toEqual([]);
    const missing = await t.core.operations['certificates.delete']({ id: 'client1' });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });

  it('a certificate referenced by thumbprint counts as used', async () => {
    await upload(client1, 'secret-1');
    await t.core.operations['apis.create']({ id: 'a1', displayName: 'API one', path: 'one', serviceUrl: 'https://localhost:1' });
    const tp = thumbprintOf(client1.certPem);
    const xml = `<policies>\n  <inbound>\n    <base />\n    <authentication-certificate thumbprint="${tp}" />\n  </inbound>\n  <backend><base /></backend>\n  <outbound><base /></outbound>\n  <on-error><base /></on-error>\n</policies>\n`;
    expect((await t.core.operations['policies.set']({ apiId: 'a1', xml })).ok).toBe(true);
    const security = await t.core.operations['security.get']({ apiId: 'a1' });
    expect(security).toEqual({ ok: true, value: { type: 'certificate', certificateId: 'client1' } });
    const refused = await t.core.operations['certificates.delete']({ id: 'client1' });
    expect(!refused.ok && refused.error.details).toEqual({ usedBy: [{ apiId: 'a1', apiName: 'API one', reference: 'thumbprint' }] });
  });

  it('no keychain: keychain-unavailable and nothing stored', async () => {
    t.secrets.available = false;
    const r = await upload(client1, 'secret-1');
    expect(!r.ok && r.error.code).toBe('keychain-unavailable');
    const list = await t.core.operations['certificates.list']({});
    expect(list.ok && list.value).toEqual([]);
  });
});
