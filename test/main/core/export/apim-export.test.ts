import { execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { parsePolicy } from '../../../../main/core/policy';
import { tempDir } from '../../../helpers/temp-dir';
import { BILLING_PASSWORD, exportFixture, must, type ExportFixture } from './fixture';

/** Bicep's declarations: parameters (with decorators) and resources (symbol, type, name). */
function declarations(bicep: string): { params: Map<string, boolean>; resources: { symbol: string; type: string; name: string | null }[] } {
  const params = new Map<string, boolean>();
  for (const m of bicep.matchAll(/((?:@\w+\([^\n]*\)\n)*)param (\w+) string/g)) params.set(m[2] as string, (m[1] ?? '').includes('@secure()'));
  const resources = [...bicep.matchAll(/^resource (\w+) '([^']+)'[^\n]*\{\n(?:\s+parent: \w+\n)?\s+name: '((?:[^'\\]|\\.)*)'/gm)].map((m) => ({
    symbol: m[1] as string,
    type: m[2] as string,
    name: m[3] ?? null,
  }));
  return { params, resources };
}

describe('export to Azure API Management', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture();
  });
  afterAll(async () => f?.remove());

  it('preview: a policy per API that CertGate parses back, and a Bicep template declaring every API, certificate and named value', async () => {
    const preview = await must(f.core, 'export.preview', { format: 'apim' });
    for (const file of preview.files) {
      expect(file.containsPrivateKey).toBe(false);
      expect(file.content ?? '').not.toContain('PRIVATE KEY');
    }
    const policies = preview.files.filter((x) => x.path.startsWith('policies/'));
    expect(policies).toHaveLength(3);
    for (const p of policies) expect(parsePolicy(p.content ?? '').ok, p.path).toBe(true);
    const apis = await must(f.core, 'apis.list', {});
    for (const api of apis) {
      const stored = await must(f.core, 'policies.get', { apiId: api.id });
      expect(policies.map((p) => p.content)).toContain(stored.xml);
    }

    const bicep = preview.files.find((x) => x.path === 'main.bicep')?.content ?? '';
    const { params, resources } = declarations(bicep);
    const named = (type: string): (string | null)[] => resources.filter((r) => r.type === `Microsoft.ApiManagement/service/${type}@2022-08-01`).map((r) => r.name);
    expect(named('apis')).toEqual(['orders', 'Billing API', 'legacy']);
    expect(named('certificates')).toEqual(['client1', 'ec-client']);
    expect(named('namedValues')).toEqual(['Billing-API-backend-password']);
    expect(named('apis/policies')).toEqual(['policy', 'policy', 'policy']);
    expect(bicep).toContain("displayName: 'Billing\\'s API'");
    for (const p of policies) expect(bicep).toContain(`value: loadTextContent('${p.path}')`);
    // Every secret is a @secure() parameter, listed in the parameters skeleton with an empty value.
    expect([...params.entries()].filter(([, secure]) => !secure).map(([n]) => n)).toEqual(['apimName']);
    expect(params.size).toBe(6);
    const parameters = JSON.parse(preview.files.find((x) => x.path === 'azuredeploy.parameters.json')?.content ?? '{}') as {
      parameters: Record<string, { value: string }>;
    };
    expect(Object.keys(parameters.parameters).sort()).toEqual([...params.keys()].sort());
    expect(Object.values(parameters.parameters).every((p) => p.value === '')).toBe(true);
    // The policy that names a certificate waits for it; each resource symbol referenced exists.
    expect(bicep).toMatch(/resource api_orders_policy [^]*?dependsOn: \[\n\s+certificate_client1\n/);
    const symbols = new Set(resources.map((r) => r.symbol));
    for (const m of bicep.matchAll(/parent: (\w+)/g)) expect(m[1] === 'apim' || symbols.has(m[1] as string)).toBe(true);
    expect(preview.files.find((x) => x.path === 'ca/test-ca.cer')?.content).toBe(f.pki.ca.certPem);
    expect(preview.warnings.join('\n')).toContain('Supply the PFX of the certificate "client1"');
  });

  it('with keys: a PFX per RSA certificate that CertGate reads back with its password file; EC keys as PEM to convert', async () => {
    const dir = await tempDir();
    try {
      const out = path.join(dir.path, 'apim');
      const result = await must(f.core, 'export.write', { format: 'apim', outDir: out, withKeys: true });
      const secrets = result.files.filter((x) => x.containsPrivateKey).map((x) => x.path);
      expect(secrets).toEqual([
        'certificates/client1.pfx',
        'certificates/client1.pfx-password.txt',
        'certificates/ec-client.key',
        expect.stringMatching(/^named-values\/billing-api-backend-password-[0-9a-f]{8}\.txt$/),
      ]);
      for (const p of secrets) expect((await stat(path.join(out, p))).mode & 0o777).toBe(0o600);
      expect(result.files.filter((x) => x.containsPrivateKey).every((x) => x.content === null)).toBe(true);

      const password = (await readFile(path.join(out, 'certificates/client1.pfx-password.txt'), 'utf8')).trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const parsed = await parseCertificateFile(await readFile(path.join(out, 'certificates/client1.pfx')), password, { fileName: 'client1.pfx' });
      expect(parsed.ok && parsed.value.info.thumbprint).toBe(f.client.thumbprint);
      expect(parsed.ok && parsed.value.info.chain.map((c) => c.thumbprint)).toEqual([f.client.thumbprint, f.pki.ca.thumbprint]);
      // OpenSSL 3 reads it without -legacy (what Windows and Azure accept too: 3DES, SHA-1 MAC).
      const info = execFileSync('openssl', ['pkcs12', '-in', path.join(out, 'certificates/client1.pfx'), '-passin', 'stdin', '-info', '-noout'], {
        input: `${password}\n`,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      expect(info.toString()).toBe('');
      expect(result.warnings.join('\n')).toContain('openssl pkcs12 -export -inkey certificates/ec-client.key');
      expect(await readFile(path.join(out, 'certificates/ec-client.crt'), 'utf8')).toContain(f.ecClient.certPem.trim());
      const nv = secrets[3] as string;
      expect(await readFile(path.join(out, nv), 'utf8')).toBe(`${BILLING_PASSWORD}\n`);
      // The template itself never holds a secret, with keys or without.
      for (const p of ['main.bicep', 'azuredeploy.parameters.json']) {
        const text = await readFile(path.join(out, p), 'utf8');
        expect(text).not.toContain(BILLING_PASSWORD);
        expect(text).not.toContain(password);
      }
    } finally {
      await dir.remove();
    }
  });
});

describe('export to Azure API Management: operations and the global policy', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture();
    await must(f.core, 'operations.create', { apiId: 'orders', id: 'refund', displayName: 'Refund', method: 'POST', urlTemplate: '/orders/{orderId}/refund?reason={reason}' });
    await must(f.core, 'policies.set', {
      apiId: 'orders',
      operationId: 'refund',
      xml: '<policies><inbound><base /><authentication-certificate certificate-id="ec-client" /></inbound></policies>',
    });
    await must(f.core, 'globalPolicy.set', { xml: '<policies><inbound><set-header name="X-All" exists-action="override"><value>1</value></set-header></inbound><backend /><outbound /><on-error /></policies>' });
  });
  afterAll(async () => f?.remove());

  it('declares each operation with its template parameters, its own policy (which CertGate parses back), and the service policy', async () => {
    const preview = await must(f.core, 'export.preview', { format: 'apim' });
    const bicep = preview.files.find((x) => x.path === 'main.bicep')?.content ?? '';
    expect(bicep).toContain("'Microsoft.ApiManagement/service/apis/operations@2022-08-01'");
    expect(bicep).toContain("'Microsoft.ApiManagement/service/apis/operations/policies@2022-08-01'");
    expect(bicep).toContain("'Microsoft.ApiManagement/service/policies@2022-08-01'");
    expect(bicep).toMatch(/method: 'POST'/);
    expect(bicep).toContain("urlTemplate: '/orders/{orderId}/refund?reason={reason}'");
    expect(bicep).toMatch(/name: 'orderId'[\s\S]*?name: 'reason'/);
    expect(bicep).toMatch(/certificate_ec_client[\s\S]*apis\/operations\/policies[\s\S]*dependsOn: \[\s*certificate_ec_client/);
    const opPolicy = preview.files.find((x) => x.path === 'policies/orders/operations/refund.xml')?.content ?? '';
    const parsed = parsePolicy(opPolicy);
    expect(parsed.ok && parsed.value.credential).toEqual({ type: 'certificate', by: 'certificate-id', value: 'ec-client' });
    expect(preview.files.find((x) => x.path === 'policies/global.xml')?.content).toContain('X-All');
    expect(preview.warnings.join('\n')).toContain('replaces the instance');
  });
});
