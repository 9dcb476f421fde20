import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../main/core/dispatch/dispatch';
import { testCore } from '../../../helpers/core';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/openapi');
const fixture = (name: string) => readFile(path.join(FIXTURES, name), 'utf8');

describe('OpenAPI import', () => {
  let t: Awaited<ReturnType<typeof testCore>>;
  beforeEach(async () => {
    t = await testCore();
  });
  afterEach(async () => t.remove());

  const importDoc = (value: string, extra: Record<string, unknown> = {}) =>
    dispatch(t.core.operations, 'apis.import', { format: 'openapi', value, path: 'pets', confirm: true, ...extra });

  it('previews the Petstore (YAML) without storing anything, then creates the API and its operations', async () => {
    const yaml = await fixture('petstore.yaml');
    const preview = await importDoc(yaml, { confirm: false });
    expect(preview).toEqual({
      ok: true,
      value: {
        apiId: 'swagger-petstore',
        apiCreated: true,
        displayName: 'Swagger Petstore',
        serviceUrl: 'http://petstore.swagger.io/v1',
        path: 'pets',
        created: ['listPets', 'createPets', 'showPetById'],
        updated: [],
        removed: [],
        warnings: [],
        applied: false,
      },
    });
    expect(await t.core.operations['apis.list']({})).toEqual({ ok: true, value: [] });
    const done = await importDoc(yaml);
    expect(done.ok && done.value.applied).toBe(true);
    const ops = await t.core.operations['operations.list']({ apiId: 'swagger-petstore' });
    expect(ops.ok && ops.value.map((o) => [o.id, o.method, o.urlTemplate, o.displayName])).toEqual([
      ['listPets', 'GET', '/pets', 'List all pets'],
      ['createPets', 'POST', '/pets', 'Create a pet'],
      ['showPetById', 'GET', '/pets/{petId}', 'Info for a specific pet'],
    ]);
    const api = await t.core.operations['apis.get']({ id: 'swagger-petstore' });
    expect(api.ok && api.value).toMatchObject({ path: 'pets', serviceUrl: 'http://petstore.swagger.io/v1' });
  });

  it('imports the expanded Petstore (JSON): ids sanitised, description kept, the service URL overridable', async () => {
    const json = await fixture('petstore-expanded.json');
    const done = await importDoc(json, { format: 'openapi+json', id: 'petstore', serviceUrl: 'https://127.0.0.1:9443/api' });
    expect(done.ok && done.value).toMatchObject({ apiId: 'petstore', serviceUrl: 'https://127.0.0.1:9443/api', created: ['findPets', 'addPet', 'find pet by id', 'deletePet'] });
    const op = await t.core.operations['operations.get']({ apiId: 'petstore', id: 'findPets' });
    expect(op.ok && op.value.description).toBe('Returns all pets from the system that the user has access to');
  });

  it('re-imports by id: operations keep their policies, and removed ones are listed by the preview first', async () => {
    const yaml = await fixture('petstore.yaml');
    await importDoc(yaml, { id: 'pets' });
    const policy = '<policies><inbound><base /><set-header name="X-Op" exists-action="override"><value>kept</value></set-header></inbound></policies>';
    expect((await dispatch(t.core.operations, 'policies.set', { apiId: 'pets', operationId: 'listPets', xml: policy })).ok).toBe(true);
    const changed = yaml.replace('summary: List all pets', 'summary: List the pets').replace(/\n {4}post:[\s\S]*?(?=\n {2}\/pets\/\{petId\}:)/, '\n');
    const preview = await importDoc(changed, { id: 'pets', confirm: false });
    expect(preview.ok && preview.value).toMatchObject({ apiCreated: false, created: [], updated: ['listPets', 'showPetById'], removed: ['createPets'], applied: false });
    expect((await t.core.operations['operations.list']({ apiId: 'pets' })).ok && (await t.core.operations['operations.list']({ apiId: 'pets' }))).toMatchObject({ value: { length: 3 } });
    await importDoc(changed, { id: 'pets' });
    const ops = await t.core.operations['operations.list']({ apiId: 'pets' });
    expect(ops.ok && ops.value.map((o) => `${o.id}:${o.displayName}`)).toEqual(['listPets:List the pets', 'showPetById:Info for a specific pet']);
    const kept = await dispatch(t.core.operations, 'policies.get', { apiId: 'pets', operationId: 'listPets' });
    expect(kept.ok && kept.value.xml).toBe(policy);
  });

  it('refuses, storing nothing: invalid documents, Swagger 2, external $refs, no server URL, over 32 MiB', async () => {
    const yaml = await fixture('petstore.yaml');
    const refuse = async (value: string, code: string, message: RegExp, extra: Record<string, unknown> = {}) => {
      const r = await importDoc(value, extra);
      expect(!r.ok && r.error.code).toBe(code);
      expect(!r.ok && r.error.message).toMatch(message);
    };
    await refuse(yaml.replace('responses:', 'responzes:'), 'validation', /not valid/);
    await refuse('openapi: [unclosed', 'validation', /not valid YAML/);
    await refuse('{"openapi": "3.0.0",', 'validation', /not valid JSON/, { format: 'openapi+json' });
    await refuse('swagger: "2.0"\ninfo: {title: x, version: "1"}\npaths: {}\n', 'validation', /Swagger 2\.0/);
    await refuse(yaml.replace('"#/components/schemas/Pets"', '"https://example.com/schemas.yaml#/Pets"'), 'validation', /outside itself/);
    await refuse(yaml.replace('"#/components/schemas/Error"', '"./common.yaml#/Error"'), 'validation', /outside itself/);
    await refuse(yaml.replace('  - url: http://petstore.swagger.io/v1\n', '  - url: /v1\n'), 'validation', /service URL/);
    await refuse('a: &a [1]\nb: *a\n', 'validation', /not valid YAML/);
    await refuse(' '.repeat(32 * 1024 * 1024 + 1), 'validation', /32 MiB/);
    expect(await t.core.operations['apis.list']({})).toEqual({ ok: true, value: [] });
  });

  it('imports an OpenAPI 3.1 document, and one with no paths (webhooks only)', async () => {
    const yaml = (await fixture('petstore.yaml')).replace('openapi: "3.0.0"', 'openapi: 3.1.0');
    const done = await importDoc(yaml, { id: 'pets31' });
    expect(done.ok && done.value.created).toHaveLength(3);
    const hooks = await importDoc(await fixture('webhook-example-3.1.yaml'), { id: 'hooks', path: 'hooks', serviceUrl: 'https://hooks.example' });
    expect(hooks.ok && hooks.value).toMatchObject({ apiId: 'hooks', created: [] });
  });

  it('sums up alike warnings: one line for many renamed operationIds (count and the first three), one line for one', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`/items${i}`, { get: { operationId: `items/get#${i}`, responses: { '200': { description: 'ok' } } } }]),
    );
    const doc = { openapi: '3.0.3', info: { title: 'Many', version: '1' }, servers: [{ url: 'https://many.example' }], paths };
    const many = await importDoc(JSON.stringify(doc), { format: 'openapi+json', id: 'many', path: 'many', confirm: false });
    expect(many.ok && many.value.warnings).toEqual([
      '25 operationIds were changed to fit ids: "items/get#0" became "items-get-0"; "items/get#1" became "items-get-1"; "items/get#2" became "items-get-2"; and 22 more.',
    ]);
    const one = { ...doc, paths: { '/a': paths['/items0'], '/b': { get: { operationId: 'plain', responses: { '200': { description: 'ok' } } } } } };
    const single = await importDoc(JSON.stringify(one), { format: 'openapi+json', id: 'one', path: 'one', confirm: false });
    expect(single.ok && single.value.warnings).toEqual(['1 operationId was changed to fit an id: "items/get#0" became "items-get-0".']);
  });
});
