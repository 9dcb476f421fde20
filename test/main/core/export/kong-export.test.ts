import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityId, kongName } from '../../../../main/core/export/names';
import { tempDir } from '../../../helpers/temp-dir';
import { BILLING_PASSWORD, exportFixture, must, type ExportFixture } from './fixture';
import { parse as parseYaml } from 'yaml';

const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const tags = { type: 'array', items: { type: 'string', pattern: '^[^, ]+$' } };
const colonHeaders = { type: 'array', items: { type: 'string', pattern: '^[^:]+:.+$' } };
const transformer = {
  type: 'object',
  additionalProperties: false,
  properties: {
    remove: { type: 'object', additionalProperties: false, properties: { headers: { type: 'array', items: { type: 'string', minLength: 1 } } } },
    add: { type: 'object', additionalProperties: false, properties: { headers: colonHeaders } },
    append: { type: 'object', additionalProperties: false, properties: { headers: colonHeaders } },
  },
};

/**
 * Kong's declarative format (3.x) as documented, for the entities and fields CertGate writes: required
 * fields and types, UUID ids, foreign references as the referenced entity's id or name (top level).
 */
const KONG_SCHEMA = {
  type: 'object',
  required: ['_format_version'],
  additionalProperties: false,
  properties: {
    _format_version: { enum: ['1.1', '2.1', '3.0'] },
    _transform: { type: 'boolean' },
    certificates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cert', 'key'],
        additionalProperties: false,
        properties: { id: uuid, cert: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 }, tags },
      },
    },
    ca_certificates: {
      type: 'array',
      items: { type: 'object', required: ['cert'], additionalProperties: false, properties: { id: uuid, cert: { type: 'string', minLength: 1 }, tags } },
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        anyOf: [{ required: ['url'] }, { required: ['host'] }],
        properties: {
          id: uuid,
          name: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' },
          url: { type: 'string', pattern: '^https?://[^/]+' },
          protocol: { enum: ['http', 'https'] },
          host: { type: 'string' },
          port: { type: 'integer', minimum: 0, maximum: 65535 },
          path: { type: 'string', pattern: '^/' },
          client_certificate: { oneOf: [uuid, { type: 'object', required: ['id'], additionalProperties: false, properties: { id: uuid } }] },
          tls_verify: { type: 'boolean' },
          tls_verify_depth: { type: ['integer', 'null'], minimum: 0, maximum: 64 },
          ca_certificates: { type: 'array', items: uuid },
          tags,
          plugins: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: { id: uuid, name: { enum: ['request-transformer', 'response-transformer'] }, config: transformer, tags },
            },
          },
        },
      },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['paths', 'service'],
        additionalProperties: false,
        properties: {
          id: uuid,
          name: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' },
          service: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'object', required: ['id'], properties: { id: uuid } }] },
          // A plain path, or a regular expression ("~" first, Kong 3).
          paths: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(/|~)' } },
          methods: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z]+$' } },
          regex_priority: { type: 'integer' },
          strip_path: { type: 'boolean' },
          path_handling: { enum: ['v0', 'v1'] },
          plugins: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'config'],
              additionalProperties: false,
              properties: {
                id: uuid,
                name: { enum: ['request-transformer', 'response-transformer', 'request-termination'] },
                config: {
                  type: 'object',
                  properties: {
                    remove: transformer.properties.remove,
                    add: transformer.properties.add,
                    append: transformer.properties.append,
                    replace: { type: 'object', additionalProperties: false, properties: { uri: { type: 'string', minLength: 1 } } },
                    status_code: { type: 'integer', minimum: 100, maximum: 599 },
                    content_type: { type: 'string' },
                    body: { type: 'string' },
                  },
                  additionalProperties: false,
                },
                tags,
              },
            },
          },
          tags,
        },
      },
    },
  },
};

interface KongDoc {
  certificates: { id: string; cert: string; key: string }[];
  ca_certificates: { id: string; cert: string }[];
  services: {
    id: string;
    name: string;
    url: string;
    client_certificate?: string;
    tls_verify?: boolean;
    ca_certificates?: string[];
    plugins?: { name: string; config: Record<string, { headers: string[] }> }[];
  }[];
  routes: {
    id: string;
    name: string;
    service: string;
    paths: string[];
    strip_path: boolean;
    methods?: string[];
    regex_priority?: number;
    plugins?: { name: string; config: Record<string, unknown> }[];
  }[];
}

/** Parse and validate a kong.yaml, and check what Kong checks across entities (references, uniqueness, https-only fields). */
function validKong(yaml: string): KongDoc {
  const doc = parseYaml(yaml);
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(KONG_SCHEMA);
  expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
  const kong = doc as KongDoc;
  const certIds = new Set(kong.certificates.map((c) => c.id));
  const caIds = new Set(kong.ca_certificates.map((c) => c.id));
  const serviceKeys = new Set(kong.services.flatMap((s) => [s.id, s.name]));
  const ids = [...kong.certificates, ...kong.ca_certificates, ...kong.services, ...kong.routes].map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(kong.services.map((s) => s.name)).size).toBe(kong.services.length);
  for (const s of kong.services) {
    if (s.client_certificate !== undefined) expect(certIds.has(s.client_certificate)).toBe(true);
    for (const ca of s.ca_certificates ?? []) expect(caIds.has(ca)).toBe(true);
    if (!s.url.startsWith('https://')) expect(s.client_certificate ?? s.tls_verify ?? s.ca_certificates).toBeUndefined();
  }
  for (const r of kong.routes) expect(serviceKeys.has(r.service)).toBe(true);
  return kong;
}

describe('export to Kong', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture();
  });
  afterAll(async () => f?.remove());

  it('preview: a valid declarative configuration without any private key; keys come from Kong environment-vault references', async () => {
    const preview = await must(f.core, 'export.preview', { format: 'kong' });
    expect(preview).toMatchObject({ format: 'kong', outDir: null });
    expect(preview.files.map((x) => [x.path, x.containsPrivateKey])).toEqual([['kong.yaml', false]]);
    const yaml = preview.files[0]?.content ?? '';
    expect(yaml).not.toContain('PRIVATE KEY');
    expect(yaml.startsWith('# Kong declarative configuration')).toBe(true);
    const kong = validKong(yaml);
    expect(kong.certificates).toHaveLength(2);
    const client1 = kong.certificates.find((c) => c.id === entityId('certificate', 'client1'));
    expect(client1?.cert).toContain(f.client.certPem.trim());
    expect(client1?.cert).toContain(f.pki.ca.certPem.trim());
    expect(client1?.key).toBe('{vault://env/certgate-client1-key}');
    expect(preview.warnings.join('\n')).toContain('set CERTGATE_CLIENT1_KEY');
    expect(kong.ca_certificates).toEqual([{ id: entityId('ca-certificate', 'test-ca'), cert: f.pki.ca.certPem, tags: ['certgate'] }]);

    const orders = kong.services.find((s) => s.name === 'orders');
    expect(orders).toMatchObject({
      url: 'https://orders.internal:8443/base',
      client_certificate: entityId('certificate', 'client1'),
      tls_verify: true,
      ca_certificates: [entityId('ca-certificate', 'test-ca')],
    });
    // The thumbprint reference resolves to the EC certificate's entity; the checks it turned off stay off.
    expect(kong.services.find((s) => s.name === 'legacy')).toMatchObject({ client_certificate: entityId('certificate', 'ec-client'), tls_verify: false });
    expect(kong.routes.map((r) => [r.paths, r.strip_path])).toEqual([
      [['/orders/v1'], true],
      [['/billing'], true],
      [['/legacy'], true],
    ]);
  });

  it('exports are stable: the same store gives the same bytes, ids are UUID v5 of CertGate ids', async () => {
    const a = await must(f.core, 'export.preview', { format: 'kong' });
    const b = await must(f.core, 'export.preview', { format: 'kong' });
    expect(a.files[0]?.content).toBe(b.files[0]?.content);
    expect(entityId('service', 'orders')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entityId('service', 'orders')).not.toBe(entityId('route', 'orders'));
  });

  it('set-header statements become transformer plugins; Basic authentication a placeholder without keys', async () => {
    const preview = await must(f.core, 'export.preview', { format: 'kong' });
    const billing = validKong(preview.files[0]?.content ?? '').services.find((s) => s.url === 'https://billing.internal');
    expect(billing?.name).toMatch(/^billing-api-[0-9a-f]{8}$/);
    const request = billing?.plugins?.find((p) => p.name === 'request-transformer')?.config;
    expect(request).toEqual({
      remove: { headers: ['Authorization', 'X-Api-Key', 'X-Internal'] },
      add: { headers: ['X-Client:dflt'] },
      append: { headers: ['Authorization:Basic CERTGATE-REPLACE-WITH-BASE64-OF-USER-COLON-PASSWORD', 'X-Api-Key:k$1"x', 'X-Tags:gw'] },
    });
    expect(billing?.plugins?.find((p) => p.name === 'response-transformer')?.config).toEqual({
      remove: { headers: ['X-Powered-By'] },
      add: { headers: ['X-Served-By:certgate'] },
    });
    expect(preview.warnings.join('\n')).toContain('uses Basic authentication as "svc"');
    expect(preview.files[0]?.content).not.toContain(BILLING_PASSWORD);
  });

  it('with keys: kong.yaml holds the keys and the Basic credential, mode 0600, and is never sent back', async () => {
    const dir = await tempDir();
    try {
      const out = path.join(dir.path, 'kong');
      const result = await must(f.core, 'export.write', { format: 'kong', outDir: out, withKeys: true });
      expect(result.files).toEqual([{ path: 'kong.yaml', content: null, containsPrivateKey: true }]);
      const file = path.join(out, 'kong.yaml');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const yaml = await readFile(file, 'utf8');
      expect(yaml).toContain('It holds private keys or passwords');
      const kong = validKong(yaml);
      expect(kong.certificates.find((c) => c.id === entityId('certificate', 'client1'))?.key.replace(/\s+/g, '')).toBe(f.client.keyPem.replace(/\s+/g, ''));
      const basic = `Authorization:Basic ${Buffer.from(`svc:${BILLING_PASSWORD}`).toString('base64')}`;
      expect(kong.services.flatMap((s) => s.plugins ?? []).flatMap((p) => p.config['append']?.headers ?? [])).toContain(basic);
      expect(result.warnings.join('\n')).not.toContain('CERTGATE_CLIENT1_KEY');
    } finally {
      await dir.remove();
    }
  });
});

describe('export to Kong: operations', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture();
    const ops = [
      ['get-order', 'GET', '/orders/{id}'],
      ['refund', 'POST', '/orders/{id}/refund'],
      ['recent', 'GET', '/orders/recent'],
      ['any', '*', '/files/*'],
    ] as const;
    for (const [id, method, urlTemplate] of ops) await must(f.core, 'operations.create', { apiId: 'orders', id, displayName: id, method, urlTemplate });
    await must(f.core, 'policies.set', {
      apiId: 'orders',
      operationId: 'refund',
      xml: '<policies><inbound><base /><authentication-certificate certificate-id="ec-client" /><set-header name="X-Op" exists-action="override"><value>refund</value></set-header></inbound></policies>',
    });
  });
  afterAll(async () => f?.remove());

  it('a route per operation (method, regex path, most specific first), its own service where the certificate differs, 404 no-operation last', async () => {
    const preview = await must(f.core, 'export.preview', { format: 'kong' });
    const kong = validKong(preview.files[0]?.content ?? '');
    const byName = new Map(kong.routes.map((r) => [r.name, r]));
    const route = (op: string) => byName.get(kongName(`orders.${op}`));
    expect(route('refund')).toMatchObject({ methods: ['POST'], service: kongName('orders~ec-client'), strip_path: false });
    expect(route('get-order')).toMatchObject({ methods: ['GET'], service: 'orders' });
    expect(route('any')?.methods).toBeUndefined();
    const refundService = kong.services.find((s) => s.name === kongName('orders~ec-client'));
    expect(refundService?.client_certificate).toBe(entityId('certificate', 'ec-client'));
    expect(kong.services.find((s) => s.name === 'orders')?.client_certificate).toBe(entityId('certificate', 'client1'));
    // The gateway's order: /orders/recent (literal) before /orders/{id} (parameter), wildcards last, no-operation at 0.
    const priority = (op: string) => route(op)?.regex_priority ?? -1;
    expect(priority('recent')).toBeGreaterThan(priority('get-order'));
    expect(priority('get-order')).toBeGreaterThan(priority('any'));
    const fallback = byName.get(kongName('orders.no-operation'));
    expect(fallback).toMatchObject({ regex_priority: 0, plugins: [{ name: 'request-termination', config: { status_code: 404 } }] });
    expect(JSON.parse(String(fallback?.plugins?.[0]?.config['body']))).toMatchObject({ error: { code: 'no-operation', api: 'orders' } });
    // Each regex matches what the gateway matches, and captures the part sent on after the service's path.
    const matches = (op: string, path: string): string | null => {
      const regex = new RegExp(`^${(route(op)?.paths[0] ?? '').slice(1).replace('(?<certgate_rest>', '(?<rest>')}`);
      return regex.exec(path)?.groups?.['rest'] ?? null;
    };
    expect(matches('refund', '/orders/v1/orders/7/refund')).toBe('/orders/7/refund');
    expect(matches('refund', '/orders/v1/orders/7')).toBeNull();
    expect(matches('get-order', '/orders/v1/orders/7/')).toBe('/orders/7');
    expect(matches('any', '/orders/v1/files/a/b')).toBe('/files/a/b');
    const transformer = route('refund')?.plugins?.find((p) => p.name === 'request-transformer')?.config;
    expect(transformer).toMatchObject({ replace: { uri: '/base$(uri_captures["certgate_rest"])' }, append: { headers: ['X-Op:refund'] } });
    expect(preview.warnings.join('\n')).not.toMatch(/X-Op.*template|refund.*template/);
  });
});
