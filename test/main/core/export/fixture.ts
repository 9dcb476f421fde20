/**
 * A core with what the export tests need, made through the contract's operations like a user would:
 * an RSA client certificate with its CA in the chain, an EC one, a trusted CA, and three APIs
 * (certificate, Basic authentication with set-header statements, certificate by thumbprint).
 */
import { type OperationInput, type OperationName, type OperationOutput } from '../../../../preload/contract';
import type { Core } from '../../../../main/core/app/core';
import { testCore } from '../../../helpers/core';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { dispatch } from '../../../../main/core/dispatch/dispatch';

/** Run an operation that must succeed. */
export async function must<N extends OperationName>(core: Core, name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const result = await dispatch(core.operations, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The Basic authentication password of the "Billing API" (a ':' in it, as passwords may have). */
export const BILLING_PASSWORD = 's3cret:pw';

/** A policy with set-header statements of every kind, in and out. */
export function headerPolicy(credential: string): string {
  return `<policies>
    <inbound>
        <base />
        ${credential}
        <set-header name="X-Api-Key" exists-action="override"><value>k$1"x</value></set-header>
        <set-header name="X-Tags" exists-action="append"><value>gw</value></set-header>
        <set-header name="X-Client" exists-action="skip"><value>dflt</value></set-header>
        <set-header name="X-Internal" exists-action="delete" />
    </inbound>
    <backend>
        <base />
    </backend>
    <outbound>
        <base />
        <set-header name="X-Served-By" exists-action="skip"><value>certgate</value></set-header>
        <set-header name="X-Powered-By" exists-action="delete" />
    </outbound>
    <on-error>
        <base />
    </on-error>
</policies>
`;
}

/** The fixture: a core, its PKI, and the certificates uploaded. */
export interface ExportFixture {
  readonly core: Core;
  readonly pki: TestPki;
  readonly client: CertFiles;
  readonly ecClient: CertFiles;
  remove(): Promise<void>;
}

/** Build the fixture (about a second: openssl makes the keys). */
export async function exportFixture(): Promise<ExportFixture> {
  const t = await testCore();
  const pki = await createTestPki();
  const client = await pki.issueClient({ cn: 'client1' });
  const ecClient = await pki.issueClient({ cn: 'ec-client', keyType: 'ec' });
  const core = t.core;
  const pfx = await pki.exportPfx(client, { password: 'pw', chain: pki.ca });
  await must(core, 'certificates.upload', { id: 'client1', data: pfx.data.toString('base64'), password: 'pw' });
  const ecPfx = await pki.exportPfx(ecClient, { password: 'pw' });
  await must(core, 'certificates.upload', { id: 'ec-client', data: ecPfx.data.toString('base64'), password: 'pw' });
  await must(core, 'caCertificates.upload', { id: 'test-ca', pem: pki.ca.certPem });

  await must(core, 'apis.create', {
    id: 'orders',
    displayName: 'Orders',
    path: 'orders/v1',
    serviceUrl: 'https://orders.internal:8443/base',
    backendTls: { trustedCaCertificateIds: ['test-ca'] },
  });
  await must(core, 'security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });

  await must(core, 'apis.create', { id: 'Billing API', displayName: "Billing's API", path: 'billing', serviceUrl: 'https://billing.internal' });
  await must(core, 'security.set', { apiId: 'Billing API', security: { type: 'basic', username: 'svc', password: BILLING_PASSWORD } });
  const basic = (await must(core, 'policies.get', { apiId: 'Billing API' })).xml.match(/<authentication-basic[^>]*\/>/)?.[0] ?? '';
  await must(core, 'policies.set', { apiId: 'Billing API', xml: headerPolicy(basic) });

  await must(core, 'apis.create', {
    id: 'legacy',
    displayName: 'Legacy',
    path: 'legacy',
    serviceUrl: 'https://legacy.internal/',
    backendTls: { validateCertificateChain: false, validateCertificateName: false },
  });
  await must(core, 'policies.set', {
    apiId: 'legacy',
    xml: `<policies><inbound><base /><authentication-certificate thumbprint="${ecClient.thumbprint}" /></inbound></policies>`,
  });

  return {
    core,
    pki,
    client,
    ecClient,
    remove: async () => {
      await t.remove();
      await pki.remove();
    },
  };
}
