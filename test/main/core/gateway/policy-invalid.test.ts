import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../../main/core/app/core';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { STORE_FILE } from '../../../../main/core/store/store';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { certgate } from '../../../helpers/cli';
import { tempDir } from '../../../helpers/temp-dir';
import { call } from './helpers';

/** A policy CertGate accepted before framing headers were refused at save (issue 11): line 4, column 21. */
const LEGACY_XML = `<policies>
    <inbound>
        <base />
        <set-header name="Content-Length" exists-action="override">
            <value>5</value>
        </set-header>
    </inbound>
    <backend>
        <base />
    </backend>
    <outbound>
        <base />
    </outbound>
    <on-error>
        <base />
    </on-error>
</policies>
`;
const FIXED_XML = LEGACY_XML.replace(/ {8}<set-header[^]*<\/set-header>\n/, '');

type ErrorBody = { error: { code: string; message: string; api: string | null } };

/** A store written by an older CertGate, opened by this one: nothing is lost, the problem is said everywhere. */
describe('a stored policy that no longer parses', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let backend: http.Server;
  let core: Core;
  let gateway: Gateway;
  let base: string;
  let storeFile: string;

  beforeAll(async () => {
    dir = await tempDir();
    backend = http.createServer((req, res) => res.end(`hello ${req.url ?? ''}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const secrets = new MemorySecretStore();
    // The older CertGate: two APIs, then the legacy policy written into its store file by hand.
    const older = await openCore({ dataDir: dir.path, secretStore: secrets });
    if (!older.ok) throw new Error(older.error.message);
    for (const id of ['legacy', 'other']) {
      const created = await older.value.operations['apis.create']({ id, displayName: id, path: id, serviceUrl });
      if (!created.ok) throw new Error(created.error.message);
    }
    await older.value.flush();
    storeFile = path.join(dir.path, STORE_FILE);
    const data = JSON.parse(await fs.readFile(storeFile, 'utf8')) as { apis: { id: string; policyXml: string }[] };
    const legacy = data.apis.find((a) => a.id === 'legacy');
    if (!legacy) throw new Error('no legacy API in the store file');
    legacy.policyXml = LEGACY_XML;
    await fs.writeFile(storeFile, JSON.stringify(data, null, 2));

    const opened = await openCore({ dataDir: dir.path, secretStore: secrets });
    if (!opened.ok) throw new Error(opened.error.message);
    core = opened.value;
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    await core.attachGateway(gateway);
  });

  afterAll(async () => {
    await core?.attachGateway(null);
    await gateway?.stop();
    await new Promise((resolve) => backend?.close(resolve));
    await dir?.remove();
  });

  it('answers the API’s calls 500 policy-invalid with the line and column, and serves the other APIs', async () => {
    const reply = await call(base, '/legacy/orders?x=1');
    expect(reply.status).toBe(500);
    const { error } = reply.json<ErrorBody>();
    expect(error.code).toBe('policy-invalid');
    expect(error.api).toBe('legacy');
    expect(error.message).toContain('Line 4, column 21');
    expect(error.message).toContain('"Content-Length"');
    expect(gateway.traffic(1)[0]).toMatchObject({ apiId: 'legacy', path: '/legacy/orders', status: 500, errorCode: 'policy-invalid' });
    expect((await call(base, '/other/x')).body).toBe('hello /x');
    // Not as if the API did not exist: an unknown path is still no-route.
    expect((await call(base, '/nothing/x')).json<ErrorBody>().error.code).toBe('no-route');
  });

  it('keeps the stored text and shows the problem in policies.get, the diagnosis and the gateway status', async () => {
    const ops = core.operations;
    const policy = await ops['policies.get']({ apiId: 'legacy' });
    expect(policy.ok && policy.value).toMatchObject({ xml: LEGACY_XML, problem: { line: 4, column: 21, element: 'set-header' } });
    const fine = await ops['policies.get']({ apiId: 'other' });
    expect(fine.ok && 'problem' in fine.value).toBe(false);
    const diagnosis = await ops['apis.diagnose']({ id: 'legacy' });
    expect(diagnosis.ok ? null : diagnosis.error).toMatchObject({ code: 'policy-invalid', details: { line: 4, column: 21 } });
    const status = await ops['gateway.status']({});
    expect(status.ok && status.value.message).toContain('legacy: The policy of API "legacy" is not valid: Line 4, column 21');
    const cli = await certgate(['policy', 'get', 'legacy', '--data-dir', dir.path]);
    expect(cli.stdout).toBe(LEGACY_XML);
    expect(cli.stderr).toContain('not valid, so its API is not served (policy-invalid): line 4, column 21: <set-header> may not set "Content-Length"');
    await core.flush();
    const stored = JSON.parse(await fs.readFile(storeFile, 'utf8')) as { apis: { id: string; policyXml: string }[] };
    expect(stored.apis.find((a) => a.id === 'legacy')?.policyXml).toBe(LEGACY_XML);
  });

  it('routes the API once the fixed policy is saved through the service', async () => {
    const saved = await core.operations['policies.set']({ apiId: 'legacy', xml: FIXED_XML });
    expect(saved.ok).toBe(true);
    const reply = await call(base, '/legacy/orders?x=1');
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'hello /orders?x=1' });
    const policy = await core.operations['policies.get']({ apiId: 'legacy' });
    expect(policy.ok && 'problem' in policy.value).toBe(false);
  });
});
