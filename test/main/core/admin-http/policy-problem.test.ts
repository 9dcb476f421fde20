import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../../main/core/app/core';
import { startAdminServer, type AdminServer } from '../../../../main/core/admin-http/server';
import { STORE_FILE } from '../../../../main/core/store/store';
import type { StoreData } from '../../../../main/core/store/schema';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { tempDir } from '../../../helpers/temp-dir';
import { rawRequest, TOKEN } from './admin-fixture';

/** A policy an older CertGate accepted (a framing set-header, refused at save since issue 11): line 3, column 17 (its name attribute). */
const LEGACY_XML = '<policies>\n  <inbound>\n    <set-header name="Transfer-Encoding" exists-action="override"><value>chunked</value></set-header>\n  </inbound>\n</policies>\n';
const PROBLEM = { line: 3, column: 17, element: 'set-header', message: expect.stringContaining('Transfer-Encoding') };

/** The REST policy resources of a store written by an older CertGate: the XML as stored, and why it no longer parses. */
describe('REST GET of a stored policy that no longer parses', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: Core;
  let server: AdminServer;
  const get = (url: string) => rawRequest('127.0.0.1', server.port, url);

  beforeAll(async () => {
    dir = await tempDir();
    const secrets = new MemorySecretStore();
    const older = await openCore({ dataDir: dir.path, secretStore: secrets });
    if (!older.ok) throw new Error(older.error.message);
    for (const id of ['legacy', 'fine']) {
      const created = await older.value.operations['apis.create']({ id, displayName: id, path: id, serviceUrl: 'https://backend.example' });
      if (!created.ok) throw new Error(created.error.message);
    }
    const op = await older.value.operations['operations.create']({ apiId: 'legacy', id: 'refund', displayName: 'Refund', method: 'POST', urlTemplate: '/refund' });
    if (!op.ok) throw new Error(op.error.message);
    await older.value.flush();
    const file = path.join(dir.path, STORE_FILE);
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as StoreData;
    const legacy = data.apis.find((a) => a.id === 'legacy');
    if (!legacy?.operations?.[0]) throw new Error('the store file has no legacy API with an operation');
    Object.assign(legacy, { policyXml: LEGACY_XML, operations: [{ ...legacy.operations[0], policyXml: LEGACY_XML }] });
    data.globalPolicyXml = LEGACY_XML;
    await fs.writeFile(file, JSON.stringify(data, null, 2));

    const opened = await openCore({ dataDir: dir.path, secretStore: secrets });
    if (!opened.ok) throw new Error(opened.error.message);
    core = opened.value;
    const started = await startAdminServer({ operations: core.operations, subscribe: core.subscribe, port: 0, token: TOKEN, rendererDir: null });
    if (!started.ok) throw new Error(started.error.message);
    server = started.value;
  });

  afterAll(async () => {
    await server?.close();
    await core?.flush();
    await dir?.remove();
  });

  it.each([
    ['the API', '/apis/legacy/policies/policy', 'Microsoft.ApiManagement/service/apis/policies'],
    ['an operation', '/apis/legacy/operations/refund/policies/policy', 'Microsoft.ApiManagement/service/apis/operations/policies'],
    ['the global scope', '/policies/policy', 'Microsoft.ApiManagement/service/policies'],
  ])('%s: 200 with the stored XML byte for byte and properties.problem at line and column', async (_scope, url, type) => {
    const answer = await get(url);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ id: url, type, name: 'policy', properties: { format: 'rawxml', value: LEGACY_XML, problem: PROBLEM } });
  });

  it('a policy that parses has no problem property', async () => {
    const answer = await get('/apis/fine/policies/policy');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ properties: { format: 'rawxml' } });
    expect(answer.json).not.toHaveProperty('properties.problem');
  });
});
