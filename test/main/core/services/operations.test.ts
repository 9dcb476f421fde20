import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../main/core/dispatch/dispatch';
import { STORE_FILE } from '../../../../main/core/store/store';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

describe('operations of an API', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeEach(async () => {
    t = await testCore();
    await dispatch(t.core.operations, 'apis.create', { id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example/base' });
  });
  afterEach(async () => t.remove());

  const create = (input: Record<string, unknown>) => dispatch(t.core.operations, 'operations.create', { apiId: 'orders', ...input });

  it('creates, lists, gets, updates and deletes operations; the method is upper-cased and the id derived', async () => {
    const made = await create({ displayName: 'Refund an order', method: 'post', urlTemplate: '/orders/{orderId}/refund' });
    expect(made.ok && made.value).toMatchObject({ id: 'refund-an-order', apiId: 'orders', method: 'POST', urlTemplate: '/orders/{orderId}/refund', description: '' });
    await create({ id: 'get', displayName: 'Get', method: '*', urlTemplate: '/orders/{orderId}' });
    const list = await t.core.operations['operations.list']({ apiId: 'orders' });
    expect(list.ok && list.value.map((o) => o.id)).toEqual(['refund-an-order', 'get']);
    const updated = await dispatch(t.core.operations, 'operations.update', { apiId: 'orders', id: 'get', method: 'GET', description: 'One order' });
    expect(updated.ok && updated.value).toMatchObject({ method: 'GET', urlTemplate: '/orders/{orderId}', description: 'One order' });
    expect(await t.core.operations['operations.delete']({ apiId: 'orders', id: 'get' })).toEqual({ ok: true, value: { apiId: 'orders', id: 'get' } });
    const gone = await t.core.operations['operations.get']({ apiId: 'orders', id: 'get' });
    expect(!gone.ok && gone.error.code).toBe('not-found');
    // The API itself shows no operations field: they have their own operations.
    const api = await t.core.operations['apis.get']({ id: 'orders' });
    expect(api.ok && 'operations' in api.value).toBe(false);
  });

  it('keeps (method, template) unique per API, parameter names aside, and refuses templates it cannot match', async () => {
    await create({ id: 'a', displayName: 'A', method: 'GET', urlTemplate: '/orders/{id}' });
    const same = await create({ id: 'b', displayName: 'B', method: 'get', urlTemplate: '/Orders/{orderId}' });
    expect(!same.ok && same.error).toMatchObject({ code: 'duplicate', details: { existingId: 'a' } });
    expect((await create({ id: 'c', displayName: 'C', method: 'DELETE', urlTemplate: '/orders/{id}' })).ok).toBe(true);
    expect((await create({ id: 'd', displayName: 'D', method: '*', urlTemplate: '/orders/{id}' })).ok).toBe(true);
    const sameId = await create({ id: 'A', displayName: 'A again', method: 'PUT', urlTemplate: '/x' });
    expect(!sameId.ok && sameId.error.code).toBe('duplicate');
    const bad = await create({ id: 'e', displayName: 'E', method: 'GET', urlTemplate: '/a/{id}/{id}' });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'validation', details: { field: 'urlTemplate' } });
    const noSlash = await create({ id: 'f', displayName: 'F', method: 'GET', urlTemplate: 'orders' });
    expect(!noSlash.ok && noSlash.error.code).toBe('validation');
    const badMethod = await create({ id: 'g', displayName: 'G', method: 'GET POST', urlTemplate: '/g' });
    expect(!badMethod.ok && badMethod.error.code).toBe('validation');
    const moved = await dispatch(t.core.operations, 'operations.update', { apiId: 'orders', id: 'c', method: 'GET' });
    expect(!moved.ok && moved.error.code).toBe('duplicate');
  });

  it('gives each operation a policy, the global scope one too, and shows the composed policy', async () => {
    await create({ id: 'get', displayName: 'Get', method: 'GET', urlTemplate: '/orders/{id}' });
    const header = (v: string) => `<set-header name="X-Scope" exists-action="append"><value>${v}</value></set-header>`;
    expect((await dispatch(t.core.operations, 'globalPolicy.set', { xml: `<policies><inbound>${header('global')}</inbound></policies>` })).ok).toBe(true);
    expect((await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', xml: `<policies><inbound><base />${header('api')}</inbound></policies>` })).ok).toBe(true);
    const opXml = `<policies><inbound>${header('op')}<base /></inbound></policies>`;
    const set = await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', operationId: 'get', xml: opXml });
    expect(set).toEqual({ ok: true, value: { apiId: 'orders', operationId: 'get', xml: opXml } });
    const got = await dispatch(t.core.operations, 'policies.get', { apiId: 'orders', operationId: 'get' });
    expect(got.ok && got.value.xml).toBe(opXml);
    const apiPolicy = await dispatch(t.core.operations, 'policies.get', { apiId: 'orders' });
    expect(apiPolicy.ok && apiPolicy.value.xml).toContain('api');
    const effective = await dispatch(t.core.operations, 'policies.effective', { apiId: 'orders', operationId: 'get' });
    expect(effective.ok).toBe(true);
    const xml = effective.ok ? effective.value.xml : '';
    expect(xml.indexOf('>op<')).toBeLessThan(xml.indexOf('>global<'));
    expect(xml.indexOf('>global<')).toBeLessThan(xml.indexOf('>api<'));
    expect(xml).toContain('<!-- Operation "Get" -->');
    const apiOnly = await dispatch(t.core.operations, 'policies.effective', { apiId: 'orders' });
    expect(apiOnly.ok && apiOnly.value.xml).not.toContain('>op<');
    const missing = await dispatch(t.core.operations, 'policies.effective', { apiId: 'orders', operationId: 'nope' });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });

  it('holds the parser guarantees at the operation and global scopes: line and column, no entities', async () => {
    await create({ id: 'get', displayName: 'Get', method: 'GET', urlTemplate: '/orders/{id}' });
    const unknown = await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', operationId: 'get', xml: '<policies>\n  <inbound>\n    <rate-limit calls="1" />\n  </inbound>\n</policies>' });
    expect(!unknown.ok && unknown.error).toMatchObject({ code: 'validation', details: { line: 3, column: 5, element: 'rate-limit' } });
    const entity = await dispatch(t.core.operations, 'globalPolicy.set', { xml: '<!DOCTYPE p [<!ENTITY x "y">]><policies />' });
    expect(!entity.ok && entity.error.code).toBe('validation');
    const tooBig = await dispatch(t.core.operations, 'globalPolicy.set', { xml: `<policies>${' '.repeat(256 * 1024)}</policies>` });
    expect(!tooBig.ok && tooBig.error.code).toBe('validation');
    const global = await t.core.operations['globalPolicy.get']({});
    expect(global.ok && global.value).toMatchObject({ global: true, apiId: '' });
    expect(global.ok && global.value.xml).not.toContain('DOCTYPE');
  });
});

describe('certificates used at the operation scope', () => {
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

  it('refuses to delete a certificate an operation uses, naming the API and the operation; the list shows it', async () => {
    const up = await t.core.operations['certificates.upload']({ data: client1.pfx.toString('base64'), password: 'pw' });
    if (!up.ok) throw new Error(up.error.message);
    const certId = up.value.certificate.id;
    await dispatch(t.core.operations, 'apis.create', { id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example' });
    await dispatch(t.core.operations, 'operations.create', { apiId: 'orders', id: 'refund', displayName: 'Refund', method: 'POST', urlTemplate: '/orders/{id}/refund' });
    const unknownCert = await dispatch(t.core.operations, 'policies.set', {
      apiId: 'orders',
      operationId: 'refund',
      xml: '<policies><inbound><base /><authentication-certificate certificate-id="nope" /></inbound></policies>',
    });
    expect(!unknownCert.ok && unknownCert.error.code).toBe('validation');
    const set = await dispatch(t.core.operations, 'policies.set', {
      apiId: 'orders',
      operationId: 'refund',
      xml: `<policies><inbound><base /><authentication-certificate certificate-id="${certId}" /></inbound></policies>`,
    });
    expect(set.ok).toBe(true);
    const refused = await t.core.operations['certificates.delete']({ id: certId });
    expect(!refused.ok && refused.error.code).toBe('in-use');
    expect(!refused.ok && refused.error.message).toContain('the operation "Refund" of "Orders"');
    expect(!refused.ok && refused.error.details).toEqual({ usedBy: [{ apiId: 'orders', apiName: 'Orders', reference: 'certificate-id', operationId: 'refund', operationName: 'Refund' }] });
    const listed = await t.core.operations['certificates.get']({ id: certId });
    expect(listed.ok && listed.value.usedBy).toHaveLength(1);
    // Once the operation is gone, so is the use.
    await t.core.operations['operations.delete']({ apiId: 'orders', id: 'refund' });
    expect((await t.core.operations['certificates.delete']({ id: certId })).ok).toBe(true);
  });
});

describe('store schema 2: operations and the global policy', () => {
  it('reads a schema 1 store, keeping everything, and writes schema 2 with the next change', async () => {
    const dir = await tempDir();
    try {
      const v1 = {
        schemaVersion: 1,
        certificates: [],
        caCertificates: [],
        apis: [
          {
            id: 'legacy',
            displayName: 'Legacy',
            path: 'legacy',
            serviceUrl: 'https://legacy.example',
            description: 'kept',
            backendTls: { validateCertificateChain: true, validateCertificateName: false, trustedCaCertificateIds: [] },
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
            policyXml: '<policies><inbound><base /></inbound></policies>',
          },
        ],
        namedValues: [],
        rotations: [],
        settings: { language: 'fr', theme: 'dark' },
        someFutureField: 'untouched',
      };
      await writeFile(path.join(dir.path, STORE_FILE), JSON.stringify(v1));
      const { openCore } = await import('../../../../main/core/app/core');
      const { MemorySecretStore } = await import('../../../../main/core/vault/secret-store');
      const core = await openCore({ dataDir: dir.path, secretStore: new MemorySecretStore() });
      if (!core.ok) throw new Error(core.error.message);
      const ops = core.value.operations;
      expect(await ops['operations.list']({ apiId: 'legacy' })).toEqual({ ok: true, value: [] });
      const policy = await ops['policies.get']({ apiId: 'legacy' });
      expect(policy.ok && policy.value.xml).toBe(v1.apis[0]?.policyXml);
      expect((await ops['settings.get']({})).ok && (await ops['settings.get']({}))).toMatchObject({ value: { language: 'fr' } });
      await dispatch(ops, 'operations.create', { apiId: 'legacy', id: 'ping', displayName: 'Ping', method: 'GET', urlTemplate: '/ping' });
      await core.value.flush();
      const written = JSON.parse(await readFile(path.join(dir.path, STORE_FILE), 'utf8')) as Record<string, unknown> & { apis: Record<string, unknown>[] };
      expect(written.schemaVersion).toBe(2);
      expect(written.someFutureField).toBe('untouched');
      expect(typeof written.globalPolicyXml).toBe('string');
      expect(written.apis[0]).toMatchObject({ description: 'kept', backendTls: { validateCertificateName: false }, operations: [{ id: 'ping', urlTemplate: '/ping' }] });
    } finally {
      await dir.remove();
    }
  });
});
