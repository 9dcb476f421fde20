import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type AdminFixture } from './admin-fixture';

const REFUND = { displayName: 'Refund', method: 'POST', urlTemplate: '/orders/{orderId}/refund', description: 'Money back' };
const POLICY = '<policies><inbound><base /><set-header name="X-Op" exists-action="override"><value>1</value></set-header></inbound></policies>';

describe('REST operations, their policies, the global policy and the OpenAPI import', () => {
  let f: AdminFixture;
  beforeAll(async () => {
    f = await startFixture();
    const api = await f.request('/apis/orders', { method: 'PUT', body: { properties: { displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example' } } });
    expect(api.status).toBe(201);
  });
  afterAll(async () => f.close());

  it('PUT creates (201) then replaces (200); GET one and the list {value, count}; PATCH; DELETE (204)', async () => {
    const created = await f.request('/apis/orders/operations/refund', { method: 'PUT', body: { properties: REFUND } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: '/apis/orders/operations/refund', type: 'Microsoft.ApiManagement/service/apis/operations', name: 'refund', properties: REFUND });
    const replaced = await f.request('/apis/orders/operations/refund', { method: 'PUT', body: { properties: { ...REFUND, description: undefined } } });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ properties: { description: '' } });
    const patched = await f.request('/apis/orders/operations/refund', { method: 'PATCH', body: { properties: { displayName: 'Refund an order' } } });
    expect(patched.json).toMatchObject({ properties: { displayName: 'Refund an order', method: 'POST' } });
    const list = await f.request('/apis/orders/operations');
    expect(list.json).toMatchObject({ count: 1, value: [{ name: 'refund' }] });
    const clash = await f.request('/apis/orders/operations/other', { method: 'PUT', body: { properties: { ...REFUND, urlTemplate: '/orders/{id}/refund' } } });
    expect(clash.status).toBe(409);
    const missing = await f.request('/apis/nope/operations');
    expect(missing.status).toBe(404);
  });

  it('GET/PUT an operation policy and the global policy as rawxml; invalid XML is 400 with line and column', async () => {
    const put = await f.request('/apis/orders/operations/refund/policies/policy', { method: 'PUT', body: { properties: { format: 'rawxml', value: POLICY } } });
    expect(put.status).toBe(200);
    const got = await f.request('/apis/orders/operations/refund/policies/policy');
    expect(got.json).toMatchObject({ id: '/apis/orders/operations/refund/policies/policy', properties: { format: 'rawxml', value: POLICY } });
    const bad = await f.request('/policies/policy', { method: 'PUT', body: { properties: { format: 'rawxml', value: '<policies>\n<inbound><nope /></inbound></policies>' } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'validation', details: { line: 2, column: 10 } } });
    const global = await f.request('/policies/policy', { method: 'PUT', body: { properties: { value: '<policies><inbound /></policies>' } } });
    expect(global.status).toBe(200);
    expect((await f.request('/policies/policy')).json).toMatchObject({ properties: { value: '<policies><inbound /></policies>' } });
    expect((await f.request('/apis/orders/operations/refund', { method: 'DELETE' })).status).toBe(204);
  });

  it('PUT /apis/{id}?import=true previews and imports an OpenAPI document; only that route takes large bodies', async () => {
    const yaml = await readFile(path.resolve(__dirname, '../../../fixtures/openapi/petstore.yaml'), 'utf8');
    const properties = { format: 'openapi', value: yaml, path: 'pets' };
    const preview = await f.request('/apis/pets?import=true&preview=true', { method: 'PUT', body: { properties } });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ apiId: 'pets', applied: false, created: ['listPets', 'createPets', 'showPetById'] });
    expect((await f.request('/apis/pets')).status).toBe(404);
    const done = await f.request('/apis/pets?import=true', { method: 'PUT', body: { properties } });
    expect(done.status).toBe(201);
    expect((await f.request('/apis/pets/operations')).json).toMatchObject({ count: 3 });
    // 20 MiB: over the usual 15 MiB limit, under the import route's.
    const big = `${yaml}\n${'#'.repeat(20 * 1024 * 1024)}\n`;
    const large = await f.request('/apis/pets?import=true', { method: 'PUT', body: { properties: { ...properties, value: big } } });
    expect(large.status).toBe(200);
    const elsewhere = await f.request('/apis/orders', { method: 'PATCH', body: { properties: { description: 'x'.repeat(20 * 1024 * 1024) } } });
    expect(elsewhere.status).toBe(413);
  });
});
