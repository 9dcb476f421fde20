/** `operations.policies`: what each operation's own policy does, in one read (the console's Operations tab). */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../main/core/dispatch/dispatch';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

describe('operations.policies', () => {
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

  it('says which operations only inherit, which have statements of their own, and which present their own certificate', async () => {
    const up = await t.core.operations['certificates.upload']({ data: client1.pfx.toString('base64'), password: 'pw' });
    if (!up.ok) throw new Error(up.error.message);
    const cert = up.value.certificate;
    await dispatch(t.core.operations, 'apis.create', { id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://backend.example' });
    for (const [id, method, urlTemplate] of [['list', 'GET', '/orders'], ['tagged', 'GET', '/orders/{id}'], ['refund', 'POST', '/orders/{id}/refund']] as const) {
      const made = await dispatch(t.core.operations, 'operations.create', { apiId: 'orders', id, displayName: id, method, urlTemplate });
      expect(made.ok).toBe(true);
    }
    const sections = (inbound: string) =>
      `<policies>\n  <inbound>\n    <base />${inbound}\n  </inbound>\n  <backend><base /></backend>\n  <outbound><base /></outbound>\n  <on-error><base /></on-error>\n</policies>`;
    // Spacing differs from the default policy's, but every section is still only <base />: it inherits.
    expect((await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', operationId: 'list', xml: sections('') })).ok).toBe(true);
    const header = '<set-header name="X-Tag" exists-action="override"><value>1</value></set-header>';
    expect((await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', operationId: 'tagged', xml: sections(header) })).ok).toBe(true);
    const credential = `<authentication-certificate certificate-id="${cert.id}" />`;
    expect((await dispatch(t.core.operations, 'policies.set', { apiId: 'orders', operationId: 'refund', xml: sections(credential) })).ok).toBe(true);

    const result = await dispatch(t.core.operations, 'operations.policies', { apiId: 'orders' });
    expect(result).toEqual({
      ok: true,
      value: [
        { operationId: 'list', own: false, security: { type: 'none' }, certificate: null },
        { operationId: 'tagged', own: true, security: { type: 'none' }, certificate: null },
        {
          operationId: 'refund',
          own: true,
          security: { type: 'certificate', certificateId: cert.id },
          certificate: { id: cert.id, subject: cert.subject, commonName: cert.commonName, thumbprint: cert.thumbprint, notAfter: cert.notAfter },
        },
      ],
    });
    const missing = await dispatch(t.core.operations, 'operations.policies', { apiId: 'nope' });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });
});
