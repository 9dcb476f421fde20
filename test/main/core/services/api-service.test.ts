import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChangeEvent } from '../../../../preload/contract';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { dispatch } from '../../../../main/core/dispatch/dispatch';

describe('APIs, policies and the security setting', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeAll(async () => {
    fixtures = await tempDir();
    client1 = makeClientPfx(fixtures.path, 'client1', 'pw');
  });
  afterAll(async () => fixtures.remove());
  beforeEach(async () => {
    t = await testCore();
  });
  afterEach(async () => t.remove());

  const create = (id: string, p: string, extra: Record<string, unknown> = {}) =>
    dispatch(t.core.operations, 'apis.create', { id, displayName: `API ${id}`, path: p, serviceUrl: 'https://backend.example:8443/base', ...extra });

  it('creates an API with defaults and the default policy', async () => {
    const r = await create('orders', 'orders/v1');
    expect(r.ok && r.value).toMatchObject({
      id: 'orders',
      path: 'orders/v1',
      backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] },
    });
    const policy = await t.core.operations['policies.get']({ apiId: 'orders' });
    expect(policy.ok && policy.value.xml).toMatch(/^<policies>[\s\S]*<inbound>[\s\S]*<base \/>[\s\S]*<\/policies>\n$/);
    expect(await t.core.operations['security.get']({ apiId: 'orders' })).toEqual({ ok: true, value: { type: 'none' } });
  });

  it('paths are unique (case-insensitive), the empty path once only, and well-formed', async () => {
    await create('a', 'Orders');
    const clash = await create('b', 'orders');
    expect(!clash.ok && clash.error.code).toBe('duplicate');
    expect((await create('root1', '')).ok).toBe(true);
    const root2 = await create('root2', '');
    expect(!root2.ok && root2.error.message).toContain('empty URL suffix');
    for (const bad of ['/lead', 'trail/', 'a//b', 'a/../b', 'sp ace']) {
      const r = await create(`x${Math.random().toString(36).slice(2, 6)}`, bad);
      expect(!r.ok && r.error.code, bad).toBe('validation');
    }
    const badUrl = await create('u', 'u', { serviceUrl: 'ftp://x' });
    expect(!badUrl.ok && badUrl.error.code).toBe('validation');
    const creds = await create('c', 'c', { serviceUrl: 'https://user:pw@x' });
    expect(!creds.ok && creds.error.code).toBe('validation');
  });

  it('security: certificate writes certificate-id into the policy, keeping the rest as it was', async () => {
    await t.core.operations['certificates.upload']({ data: client1.pfx.toString('base64'), password: 'pw' });
    await create('orders', 'orders');
    const custom = `<policies>\n    <!-- keep me -->\n    <inbound>\n        <base />\n        <set-header name="X-Tenant" exists-action="override">\n            <value>contoso</value>\n        </set-header>\n    </inbound>\n    <backend>\n        <base />\n    </backend>\n    <outbound>\n        <base />\n    </outbound>\n    <on-error>\n        <base />\n    </on-error>\n</policies>\n`;
    expect((await t.core.operations['policies.set']({ apiId: 'orders', xml: custom })).ok).toBe(true);
    const set = await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    expect(set).toEqual({ ok: true, value: { type: 'certificate', certificateId: 'client1' } });
    const policy = await t.core.operations['policies.get']({ apiId: 'orders' });
    const xml = policy.ok ? policy.value.xml : '';
    expect(xml).toContain('<authentication-certificate certificate-id="client1" />');
    expect(xml).toContain('<!-- keep me -->');
    expect(xml).toContain('<value>contoso</value>');
    expect(await t.core.operations['security.get']({ apiId: 'orders' })).toEqual(set);
    await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'none' } });
    const back = await t.core.operations['policies.get']({ apiId: 'orders' });
    expect(back.ok && back.value.xml).toBe(custom);
  });

  it('security.list: every API\'s credential in one read, a thumbprint reference shown by certificate id', async () => {
    await t.core.operations['certificates.upload']({ data: client1.pfx.toString('base64'), password: 'pw' });
    await create('orders', 'orders');
    await create('billing', 'billing');
    await create('open', 'open');
    await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    await t.core.operations['security.set']({ apiId: 'billing', security: { type: 'basic', username: 'svc', password: 'pw' } });
    const list = await dispatch(t.core.operations, 'security.list', {});
    const uploaded = (await t.core.operations['certificates.get']({ id: 'client1' }));
    const c = uploaded.ok ? uploaded.value : null;
    expect(c).not.toBeNull();
    expect(list.ok && [...list.value].sort((a, b) => a.apiId.localeCompare(b.apiId))).toEqual([
      { apiId: 'billing', security: { type: 'basic', username: 'svc' }, certificate: null },
      { apiId: 'open', security: { type: 'none' }, certificate: null },
      {
        apiId: 'orders',
        security: { type: 'certificate', certificateId: 'client1' },
        certificate: { id: 'client1', subject: c?.subject, commonName: c?.commonName, thumbprint: c?.thumbprint, notAfter: c?.notAfter },
      },
    ]);
    expect((await dispatch(t.core.operations, 'security.list', { extra: 1 })).ok).toBe(false);
  });

  it('security: an unknown certificate is refused and nothing changes', async () => {
    await create('orders', 'orders');
    const before = await readFile(path.join(t.dir, 'certgate.json'), 'utf8');
    const r = await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'nope' } });
    expect(!r.ok && r.error.code).toBe('validation');
    expect(await readFile(path.join(t.dir, 'certgate.json'), 'utf8')).toBe(before);
  });

  it('security: basic keeps the password in the vault as a named value, never in the policy', async () => {
    await create('orders', 'orders');
    const r = await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'basic', username: 'svc', password: 'p@ss w0rd!' } });
    expect(r).toEqual({ ok: true, value: { type: 'basic', username: 'svc' } });
    const policy = await t.core.operations['policies.get']({ apiId: 'orders' });
    expect(policy.ok && policy.value.xml).toContain('<authentication-basic username="svc" password="{{orders-backend-password}}" />');
    const storeText = await readFile(path.join(t.dir, 'certgate.json'), 'utf8');
    expect(storeText).not.toContain('p@ss w0rd!');
    expect(await t.core.operations['security.get']({ apiId: 'orders' })).toEqual({ ok: true, value: { type: 'basic', username: 'svc' } });
    // Saving again without a password keeps the stored one (only the user name changes).
    const kept = await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'basic', username: 'svc2' } });
    expect(kept).toEqual({ ok: true, value: { type: 'basic', username: 'svc2' } });
    const stored = JSON.parse(await readFile(path.join(t.dir, 'certgate.json'), 'utf8'));
    expect(stored.namedValues.map((n: { name: string }) => n.name)).toEqual(['orders-backend-password']);
    // Switching away removes the named value and its secret.
    await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'none' } });
    const after = JSON.parse(await readFile(path.join(t.dir, 'certgate.json'), 'utf8'));
    expect(after.namedValues).toEqual([]);
  });

  it('security: basic without a password is refused when none is stored', async () => {
    await create('orders', 'orders');
    const r = await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'basic', username: 'svc' } });
    expect(!r.ok && r.error.code).toBe('validation');
    expect(await t.core.operations['security.get']({ apiId: 'orders' })).toEqual({ ok: true, value: { type: 'none' } });
  });

  it('policies.set refuses unknown elements and references with line and column, storing nothing', async () => {
    await create('orders', 'orders');
    const r = await t.core.operations['policies.set']({ apiId: 'orders', xml: '<policies>\n  <inbound>\n    <base />\n    <rate-limit calls="5" />\n  </inbound>\n</policies>' });
    expect(!r.ok && r.error.code).toBe('validation');
    expect(!r.ok && r.error.details).toMatchObject({ line: 4, column: 5 });
    const ref = await t.core.operations['policies.set']({ apiId: 'orders', xml: '<policies>\n  <inbound>\n    <authentication-certificate certificate-id="ghost" />\n  </inbound>\n</policies>' });
    expect(!ref.ok && ref.error.details).toMatchObject({ line: 3 });
    const policy = await t.core.operations['policies.get']({ apiId: 'orders' });
    expect(policy.ok && policy.value.xml).not.toContain('rate-limit');
  });

  it('update and delete; deleting an API keeps its certificates; events follow each change', async () => {
    const events: ChangeEvent[] = [];
    t.core.subscribe('changes', (e) => events.push(e));
    await t.core.operations['certificates.upload']({ data: client1.pfx.toString('base64'), password: 'pw' });
    await create('orders', 'orders');
    await t.core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    const updated = await dispatch(t.core.operations, 'apis.update', { id: 'orders', displayName: 'Orders v2', backendTls: { validateCertificateName: false } });
    expect(updated.ok && updated.value).toMatchObject({ displayName: 'Orders v2', backendTls: { validateCertificateChain: true, validateCertificateName: false } });
    expect((await t.core.operations['apis.delete']({ id: 'orders' })).ok).toBe(true);
    const certs = await t.core.operations['certificates.list']({});
    expect(certs.ok && certs.value.map((c) => [c.id, c.usedBy])).toEqual([['client1', []]]);
    expect(events.map((e) => `${e.kind}:${e.action}`)).toEqual(['certificate:created', 'api:created', 'policy:updated', 'api:updated', 'api:deleted']);
    const gone = await t.core.operations['apis.get']({ id: 'orders' });
    expect(!gone.ok && gone.error.code).toBe('not-found');
  });

  it('CA certificates: upload, trust from an API, refuse delete while trusted', async () => {
    const ca = await t.core.operations['caCertificates.upload']({ pem: client1.certPem });
    expect(ca.ok && ca.value.id).toBe('client1');
    const api = await create('orders', 'orders', { backendTls: { trustedCaCertificateIds: ['client1'] } });
    expect(api.ok).toBe(true);
    const refused = await t.core.operations['caCertificates.delete']({ id: 'client1' });
    expect(!refused.ok && refused.error.code).toBe('in-use');
    const unknown = await create('x', 'x', { backendTls: { trustedCaCertificateIds: ['nope'] } });
    expect(!unknown.ok && unknown.error.code).toBe('validation');
  });
});
