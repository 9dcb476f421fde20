import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { startFixture, type AdminFixture } from './admin-fixture';

const RAW = 'application/vnd.ms-azure-apim.policy.raw+xml';
const BASIC_PASSWORD = 'Basic-Secret-77aa';

const ORDERS = { displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example/orders', description: 'The orders back end' };

describe('REST /apis, policies and security', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let f: AdminFixture;

  beforeAll(async () => {
    fixtures = await tempDir();
    client1 = makeClientPfx(fixtures.path, 'client1', 'secret');
    f = await startFixture();
    const r = await f.request('/certificates/client1', { method: 'PUT', body: { properties: { data: client1.pfx.toString('base64'), password: 'secret' } } });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    for (const body of f.bodies) {
      expect(body).not.toContain(BASIC_PASSWORD);
      expect(body).not.toContain('PRIVATE KEY');
    }
    await f.close();
    await fixtures.remove();
  });

  it('creates an API with PUT (201) and replaces it with PUT (200)', async () => {
    const created = await f.request('/apis/orders', { method: 'PUT', body: { properties: ORDERS } });
    expect(created.status).toBe(201);
    expect(created.headers['etag']).toMatch(/^".+"$/);
    expect(created.json).toMatchObject({
      id: '/apis/orders',
      type: 'Microsoft.ApiManagement/service/apis',
      name: 'orders',
      properties: { ...ORDERS, backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] } },
    });
    const replaced = await f.request('/apis/orders', {
      method: 'PUT',
      body: { properties: { displayName: 'Orders v2', path: 'orders', serviceUrl: 'https://backend.example/v2', backendTls: { validateCertificateName: false } } },
    });
    expect(replaced.status).toBe(200);
    // A PUT is the whole entity: the description it left out is emptied.
    expect(replaced.json).toMatchObject({ properties: { displayName: 'Orders v2', serviceUrl: 'https://backend.example/v2', description: '', backendTls: { validateCertificateName: false } } });
  });

  it('refuses an incomplete or invalid PUT with 400 and a clashing path with 409', async () => {
    const incomplete = await f.request('/apis/partial', { method: 'PUT', body: { properties: { displayName: 'Partial' } } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.json).toMatchObject({ error: { code: 'validation' } });
    const badUrl = await f.request('/apis/bad', { method: 'PUT', body: { properties: { ...ORDERS, path: 'bad', serviceUrl: 'ftp://x' } } });
    expect(badUrl.status).toBe(400);
    const clash = await f.request('/apis/other', { method: 'PUT', body: { properties: { ...ORDERS, displayName: 'Other' } } });
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({ error: { code: 'duplicate', details: { field: 'path', existingId: 'orders' } } });
    // Even a replacement must be complete.
    const partialReplace = await f.request('/apis/orders', { method: 'PUT', body: { properties: { displayName: 'x' } } });
    expect(partialReplace.status).toBe(400);
  });

  it('lists and gets APIs with an ETag', async () => {
    const list = await f.request('/apis');
    expect(list.json).toMatchObject({ count: 1, value: [{ name: 'orders', properties: { displayName: 'Orders v2' } }] });
    const one = await f.request('/apis/orders');
    expect(one.status).toBe(200);
    expect(one.headers['etag']).toMatch(/^".+"$/);
    expect((await f.request('/apis/orders', { headers: { 'If-None-Match': one.headers['etag'] ?? '' } })).status).toBe(304);
    expect((await f.request('/apis/none')).status).toBe(404);
  });

  it('changes the named fields with PATCH, honouring If-Match', async () => {
    const etag = (await f.request('/apis/orders')).headers['etag'] ?? '';
    const stale = await f.request('/apis/orders', { method: 'PATCH', body: { properties: { description: 'x' } }, headers: { 'If-Match': '"stale"' } });
    expect(stale.status).toBe(412);
    const r = await f.request('/apis/orders', { method: 'PATCH', body: { properties: { description: 'Patched' } }, headers: { 'If-Match': etag } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ properties: { displayName: 'Orders v2', description: 'Patched' } });
    expect(r.headers['etag']).not.toBe(etag);
    const merge = await f.request('/apis/orders', {
      method: 'PATCH',
      body: JSON.stringify({ properties: { displayName: 'Orders' } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(merge.status).toBe(200);
    const unknown = await f.request('/apis/orders', { method: 'PATCH', body: { properties: { colour: 'red' } } });
    expect(unknown.status).toBe(400);
    const missing = await f.request('/apis/none', { method: 'PATCH', body: { properties: { description: 'x' } } });
    expect(missing.status).toBe(404);
  });

  it('reads the policy as JSON rawxml, or as raw XML when asked', async () => {
    const json = await f.request('/apis/orders/policies/policy');
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({ name: 'policy', properties: { format: 'rawxml', value: expect.stringContaining('<policies>') } });
    const raw = await f.request('/apis/orders/policies/policy', { headers: { Accept: RAW } });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe(`${RAW}; charset=utf-8`);
    expect(raw.text).toContain('<inbound>');
    expect(raw.headers['etag']).toBe(json.headers['etag']);
    expect((await f.request('/apis/none/policies/policy')).status).toBe(404);
  });

  it('replaces the policy from raw XML or from JSON, and refuses an invalid one with where it is', async () => {
    const xml = '<policies><inbound><base /><authentication-certificate certificate-id="client1" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
    const raw = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: xml, headers: { 'Content-Type': RAW } });
    expect(raw.status).toBe(200);
    expect(raw.json).toMatchObject({ properties: { format: 'rawxml', value: xml } });
    expect((await f.request('/apis/orders/security')).json).toEqual({ type: 'certificate', certificateId: 'client1' });

    const plain = xml.replace('<authentication-certificate certificate-id="client1" />', '');
    const viaJson = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: { properties: { format: 'rawxml', value: plain } } });
    expect(viaJson.status).toBe(200);
    expect((await f.request('/apis/orders/security')).json).toEqual({ type: 'none' });

    const invalid = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: '<policies>\n  <inbound><frobnicate /></inbound>\n</policies>', headers: { 'Content-Type': RAW } });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: { code: 'validation', details: { line: 2 } } });

    const wrongFormat = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: { properties: { format: 'xml-link', value: 'http://x' } } });
    expect(wrongFormat.status).toBe(400);
    const textXml = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: xml, headers: { 'Content-Type': 'text/xml' } });
    expect(textXml.status).toBe(415);
    const stale = await f.request('/apis/orders/policies/policy', { method: 'PUT', body: xml, headers: { 'Content-Type': RAW, 'If-Match': '"stale"' } });
    expect(stale.status).toBe(412);
  });

  it('sets the security: a certificate (written into the policy), basic (password never echoed), none', async () => {
    const cert = await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'certificate', certificateId: 'client1' } });
    expect(cert.status).toBe(200);
    expect(cert.json).toEqual({ type: 'certificate', certificateId: 'client1' });
    const policy = await f.request('/apis/orders/policies/policy', { headers: { Accept: RAW } });
    expect(policy.text).toMatch(/<authentication-certificate certificate-id="client1"\s*\/>/);

    const basic = await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'basic', username: 'svc', password: BASIC_PASSWORD } });
    expect(basic.status).toBe(200);
    expect(basic.json).toEqual({ type: 'basic', username: 'svc' });
    expect((await f.request('/apis/orders/policies/policy')).text).not.toContain(BASIC_PASSWORD);

    const unknown = await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'certificate', certificateId: 'nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { code: 'validation' } });
    const notObject = await f.request('/apis/orders/security', { method: 'PUT', body: '"none"', headers: { 'Content-Type': 'application/json' } });
    expect(notObject.status).toBe(400);
    const missingApi = await f.request('/apis/none/security', { method: 'PUT', body: { type: 'none' } });
    expect(missingApi.status).toBe(404);
    expect((await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'none' } })).json).toEqual({ type: 'none' });
  });

  it('deletes an API (204), honouring If-Match; then 404', async () => {
    expect((await f.request('/apis/orders', { method: 'DELETE', headers: { 'If-Match': '"stale"' } })).status).toBe(412);
    const r = await f.request('/apis/orders', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect((await f.request('/apis/orders')).status).toBe(404);
    expect((await f.request('/apis/orders', { method: 'DELETE' })).status).toBe(404);
    // Its certificate stays.
    expect((await f.request('/certificates/client1')).status).toBe(200);
  });
});
