import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { startFixture, type AdminFixture } from './admin-fixture';

const PASSWORD = 'Pfx-Passw0rd-4b1d';
const PASSWORD_2 = 'Other-Passw0rd-9c2e';

describe('REST /certificates', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let client2: MadeCertificate;
  let f: AdminFixture;
  let etag1 = '';

  beforeAll(async () => {
    fixtures = await tempDir();
    client1 = makeClientPfx(fixtures.path, 'client1', PASSWORD);
    client2 = makeClientPfx(fixtures.path, 'client2', PASSWORD_2);
    f = await startFixture();
  });
  afterAll(async () => {
    // Nothing the server ever answered carried key material, a PFX or a password.
    for (const body of f.bodies) {
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(PASSWORD_2);
      expect(body).not.toContain(client1.pfx.toString('base64').slice(0, 64));
    }
    await f.close();
    await fixtures.remove();
  });

  const put = (id: string, cert: MadeCertificate, password: string, headers: Record<string, string> = {}) =>
    f.request(`/certificates/${encodeURIComponent(id)}`, { method: 'PUT', body: { properties: { data: cert.pfx.toString('base64'), password } }, headers });

  it('uploads a PFX with PUT: 201, the cloud shape, an ETag', async () => {
    const r = await put('client1', client1, PASSWORD);
    expect(r.status).toBe(201);
    expect(r.headers['etag']).toMatch(/^"[A-Za-z0-9_-]+"$/);
    etag1 = r.headers['etag'] ?? '';
    expect(r.json).toMatchObject({
      id: '/certificates/client1',
      type: 'Microsoft.ApiManagement/service/certificates',
      name: 'client1',
      properties: { subject: expect.stringContaining('CN=client1'), thumbprint: thumbprintOf(client1.certPem), keyType: 'RSA', usedBy: [] },
    });
    const props = (r.json as { properties: { expirationDate: string; notAfter: string } }).properties;
    expect(props.expirationDate).toBe(props.notAfter);
  });

  it('lists and gets certificates, each GET with the same ETag; If-None-Match gives 304', async () => {
    const list = await f.request('/certificates');
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ count: 1, value: [{ name: 'client1', properties: { thumbprint: thumbprintOf(client1.certPem) } }] });
    const one = await f.request('/certificates/client1');
    expect(one.status).toBe(200);
    expect(one.headers['etag']).toBe(etag1);
    const again = await f.request('/certificates/client1', { headers: { 'If-None-Match': etag1 } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers 404 for an unknown certificate and 400 for an invalid id', async () => {
    const missing = await f.request('/certificates/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'not-found' } });
    const invalid = await f.request('/certificates/a*b');
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: { code: 'validation' } });
  });

  it('refuses a wrong password with 422 bad-password and stores nothing', async () => {
    const r = await put('wrong', client2, 'not-the-password');
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: { code: 'bad-password' } });
    expect((await f.request('/certificates/wrong')).status).toBe(404);
  });

  it('refuses a file that is not a certificate with 422, and malformed bodies with 400', async () => {
    const junk = await f.request('/certificates/junk', { method: 'PUT', body: { properties: { data: Buffer.from('hello').toString('base64') } } });
    expect(junk.status).toBe(422);
    expect(junk.json).toMatchObject({ error: { code: 'invalid-format' } });
    const noProps = await f.request('/certificates/junk', { method: 'PUT', body: { data: 'AAAA' } });
    expect(noProps.status).toBe(400);
    expect(noProps.json).toMatchObject({ error: { code: 'validation' } });
    const notBase64 = await f.request('/certificates/junk', { method: 'PUT', body: { properties: { data: '%%%' } } });
    expect(notBase64.status).toBe(400);
    const unknownField = await f.request('/certificates/junk', { method: 'PUT', body: { properties: { data: 'AAAA', colour: 'red' } } });
    expect(unknownField.status).toBe(400);
    const empty = await f.request('/certificates/junk', { method: 'PUT' });
    expect(empty.status).toBe(400);
  });

  it('refuses the same certificate under a second id with 409 duplicate', async () => {
    const r = await put('client1-copy', client1, PASSWORD);
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ error: { code: 'duplicate', details: { existingId: 'client1' } } });
  });

  it('refuses to replace without If-Match, or with a stale ETag (412); If-Match on a missing id is 412 too', async () => {
    const bare = await put('client1', client2, PASSWORD_2);
    expect(bare.status).toBe(412);
    expect(bare.json).toMatchObject({ error: { code: 'precondition-failed', details: { etag: etag1 } } });
    const stale = await put('client1', client2, PASSWORD_2, { 'If-Match': '"stale"' });
    expect(stale.status).toBe(412);
    const absent = await put('client9', client2, PASSWORD_2, { 'If-Match': '*' });
    expect(absent.status).toBe(412);
    const createOnly = await put('client1', client2, PASSWORD_2, { 'If-None-Match': '*' });
    expect(createOnly.status).toBe(412);
    const one = await f.request('/certificates/client1');
    expect(one.json).toMatchObject({ properties: { thumbprint: thumbprintOf(client1.certPem) } });
  });

  it('rotates with If-Match: the ETag, keeping the API that uses it (200)', async () => {
    await f.request('/apis/orders', { method: 'PUT', body: { properties: { displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example/orders' } } });
    const secured = await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'certificate', certificateId: 'client1' } });
    expect(secured.status).toBe(200);
    const r = await put('client1', client2, PASSWORD_2, { 'If-Match': etag1 });
    expect(r.status).toBe(200);
    expect(r.headers['etag']).not.toBe(etag1);
    expect(r.json).toMatchObject({
      name: 'client1',
      properties: { thumbprint: thumbprintOf(client2.certPem), usedBy: [{ apiId: 'orders', reference: 'certificate-id' }] },
    });
    const security = await f.request('/apis/orders/security');
    expect(security.json).toEqual({ type: 'certificate', certificateId: 'client1' });
    // And once more with "*".
    const star = await put('client1', client1, PASSWORD, { 'If-Match': '*' });
    expect(star.status).toBe(200);
    expect(star.json).toMatchObject({ properties: { thumbprint: thumbprintOf(client1.certPem) } });
  });

  it('refuses to delete a certificate an API uses: 409 in-use listing the API', async () => {
    const r = await f.request('/certificates/client1', { method: 'DELETE' });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ error: { code: 'in-use', details: { usedBy: [{ apiId: 'orders', apiName: 'Orders', reference: 'certificate-id' }] } } });
    expect((r.json as { error: { message: string } }).error.message).toContain('Orders');
    expect((await f.request('/certificates/client1')).status).toBe(200);
  });

  it('deletes it once no API uses it (204), honouring If-Match; then 404', async () => {
    await f.request('/apis/orders/security', { method: 'PUT', body: { type: 'none' } });
    const stale = await f.request('/certificates/client1', { method: 'DELETE', headers: { 'If-Match': '"stale"' } });
    expect(stale.status).toBe(412);
    const current = (await f.request('/certificates/client1')).headers['etag'] ?? '';
    const r = await f.request('/certificates/client1', { method: 'DELETE', headers: { 'If-Match': current } });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await f.request('/certificates/client1')).status).toBe(404);
    const again = await f.request('/certificates/client1', { method: 'DELETE' });
    expect(again.status).toBe(404);
  });

  it('accepts a PEM file (certificate and key) as well', async () => {
    const pem = Buffer.from(`${client2.certPem}\n${client2.keyPem}`).toString('base64');
    const r = await f.request('/certificates/client2-pem', { method: 'PUT', body: { properties: { data: pem } } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ properties: { thumbprint: thumbprintOf(client2.certPem), protection: { format: 'pem' } } });
  });

  it('links a file on the serving machine with {"properties":{"source":{"file"}}} (201, then 200 with If-Match); the password stays inside', async () => {
    const body = { properties: { source: { file: client1.pfxPath }, password: PASSWORD } };
    const created = await f.request('/certificates/linked1', { method: 'PUT', body });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: 'linked1', properties: { thumbprint: thumbprintOf(client1.certPem), version: 1, source: { file: client1.pfxPath, state: 'ok', syncError: null } } });
    expect((await f.request('/certificates/linked1', { method: 'PUT', body })).status).toBe(412);
    const again = await f.request('/certificates/linked1', { method: 'PUT', body, headers: { 'If-Match': '*' } });
    expect(again.status, again.text).toBe(200);
    const wrong = await f.request('/certificates/linked2', { method: 'PUT', body: { properties: { source: { file: client2.pfxPath }, password: 'nope' } } });
    expect(wrong).toMatchObject({ status: 422, json: { error: { code: 'bad-password' } } });
    const both = await f.request('/certificates/linked3', { method: 'PUT', body: { properties: { source: { file: client2.pfxPath }, data: 'AAAA' } } });
    expect(both.status).toBe(400);
    const shape = await f.request('/certificates/linked3', { method: 'PUT', body: { properties: { source: client2.pfxPath } } });
    expect(shape.status).toBe(400);
  });
});
