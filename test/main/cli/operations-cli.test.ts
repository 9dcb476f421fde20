import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certgate } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const PETSTORE = path.resolve(__dirname, '../../fixtures/openapi/petstore.yaml');

describe('certgate api import, operation and policy --operation/--global/--effective (subprocess)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let data: string;
  beforeAll(async () => {
    dir = await tempDir();
    data = path.join(dir.path, 'data');
  });
  afterAll(async () => dir.remove());

  const run = (args: string[]) => certgate([...args, '--data-dir', data]);

  it('previews, then imports an OpenAPI file; lists, creates and shows operations', async () => {
    const preview = await run(['api', 'import', PETSTORE, '--path', 'pets', '--id', 'pets', '--preview']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Would create the API "pets"');
    expect(preview.stdout).toContain('Nothing was changed');
    const imported = await run(['api', 'import', PETSTORE, '--path', 'pets', '--id', 'pets', '--service-url', 'https://127.0.0.1:9443', '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ apiId: 'pets', applied: true, serviceUrl: 'https://127.0.0.1:9443', created: ['listPets', 'createPets', 'showPetById'] });
    const made = await run(['operation', 'create', 'pets', '--id', 'del', '--name', 'Delete a pet', '--method', 'delete', '--template', '/pets/{petId}']);
    expect(made.code).toBe(0);
    const list = await run(['operation', 'list', 'pets']);
    expect(list.stdout).toMatch(/del\s+DELETE\s+\/pets\/\{petId\}\s+Delete a pet/);
    const dup = await run(['operation', 'create', 'pets', '--name', 'Again', '--method', 'DELETE', '--template', '/pets/{id}', '--json']);
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stdout).error.code).toBe('duplicate');
  });

  it('reads and writes the operation and global policies, and prints the composed one', async () => {
    const opPolicy = path.join(dir.path, 'op.xml');
    await writeFile(opPolicy, '<policies><inbound><set-header name="X-Op" exists-action="override"><value>1</value></set-header><base /></inbound></policies>\n');
    const globalPolicy = path.join(dir.path, 'global.xml');
    await writeFile(globalPolicy, '<policies>\n<inbound><set-header name="X-All" exists-action="override"><value>1</value></set-header></inbound></policies>\n');
    expect((await run(['policy', 'set', 'pets', opPolicy, '--operation', 'del'])).code).toBe(0);
    expect((await run(['policy', 'set', '--global', globalPolicy])).code).toBe(0);
    expect((await run(['policy', 'get', 'pets', '--operation', 'del'])).stdout).toContain('X-Op');
    expect((await run(['policy', 'get', '--global'])).stdout).toContain('X-All');
    const effective = await run(['policy', 'get', 'pets', '--operation', 'del', '--effective']);
    expect(effective.code).toBe(0);
    expect(effective.stdout.indexOf('X-Op')).toBeLessThan(effective.stdout.indexOf('X-All'));
    expect(effective.stdout).toContain('<!-- All APIs -->');
    const bad = path.join(dir.path, 'bad.xml');
    await writeFile(bad, '<policies>\n  <inbound><nope /></inbound>\n</policies>\n');
    const refused = await run(['policy', 'set', 'pets', bad, '--operation', 'del']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:2:`);
  });
});
