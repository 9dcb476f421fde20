import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../preload/contract';
import { certgate } from '../../../helpers/cli';
import { createTestPki, type TestPki } from '../../../helpers/pki';
import { tempDir, useTempDir } from '../../../helpers/temp-dir';
import { freePort, startBackend, type TestBackend } from '../gateway/helpers';

/** Usage mistakes and a back end that is down need no keychain (no certificate is read). */
describe('certgate api diagnose (subprocess, no certificate)', () => {
  const dir = useTempDir();

  it('usage mistakes exit 2; an unknown API exits 1 with not-found', async () => {
    const data = path.join(dir.path, 'usage');
    const noId = await certgate(['api', 'diagnose', '--data-dir', data]);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('api diagnose needs an ID.');
    const badTimeout = await certgate(['api', 'diagnose', 'orders', '--timeout', 'soon', '--data-dir', data]);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('--timeout takes seconds');
    const unknown = await certgate(['api', 'diagnose', 'orders', '--json', '--data-dir', data]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('not-found');
  });

  it('a back end that is down: exit 1, each step with its time and outcome, then the problem and its fix', async () => {
    const data = path.join(dir.path, 'down');
    const port = await freePort();
    const created = await certgate(['api', 'create', '--id', 'down', '--name', 'Down', '--path', 'down', '--service-url', `https://127.0.0.1:${port}`, '--data-dir', data]);
    expect(created.code).toBe(0);
    const r = await certgate(['api', 'diagnose', 'down', '--timeout', '5', '--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}connect +failed +\d+ ms {2}Nothing accepts connections at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.$/m);
    expect(r.stdout).toMatch(/^ {2}tls +skipped +0 ms {2}Not run: an earlier step failed\.$/m);
    expect(r.stdout).toContain('1 problem:\n  1. Nothing accepts connections at');
    expect(r.stdout).toContain('(backend-unreachable)\n     Fix: Start the back end, or fix the host and port in the web service URL.');
  });

  it("--operation diagnoses one operation's route and names it; an unknown operation is not-found", async () => {
    const data = path.join(dir.path, 'operation');
    const port = await freePort();
    const created = await certgate(['api', 'create', '--id', 'shop', '--name', 'Shop', '--path', 'shop', '--service-url', `https://127.0.0.1:${port}`, '--data-dir', data]);
    expect(created.code, created.stderr).toBe(0);
    const op = await certgate(['operation', 'create', 'shop', '--id', 'refund', '--name', 'Refund', '--method', 'POST', '--template', '/refund', '--data-dir', data]);
    expect(op.code, op.stderr).toBe(0);
    const r = await certgate(['api', 'diagnose', 'shop', '--operation', 'refund', '--timeout', '5', '--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Diagnosis of "shop", operation "refund": https://127.0.0.1:${port}`);
    const json = await certgate(['api', 'diagnose', 'shop', '--operation', 'refund', '--json', '--timeout', '5', '--data-dir', data]);
    expect(JSON.parse(json.stdout)).toMatchObject({ apiId: 'shop', operationId: 'refund', ok: false });
    const unknown = await certgate(['api', 'diagnose', 'shop', '--operation', 'nope', '--data-dir', data]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('The API "shop" has no operation "nope".');
  });
});

// The CLI keeps keys in the real OS keychain: run inside a D-Bus session with gnome-keyring (see the README).
describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('certgate api diagnose (subprocess, keychain)', () => {
  let pki: TestPki;
  let backend: TestBackend;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let data: string;

  beforeAll(async () => {
    pki = await createTestPki();
    backend = await startBackend(pki);
    dir = await tempDir();
    data = path.join(dir.path, 'data');
    const pfx = await pki.exportPfx(await pki.issueClient({ cn: 'client1' }), { password: 'pw' });
    const imported = await certgate(['cert', 'import', pfx.path, '--id', 'client1', '--password-stdin', '--data-dir', data], { stdin: 'pw' });
    expect(imported.code, imported.stderr).toBe(0);
    const args = ['--id', 'orders', '--name', 'Orders', '--path', 'orders', '--service-url', `${backend.url}/svc`, '--ca', pki.ca.certPath];
    expect((await certgate(['api', 'create', ...args, '--data-dir', data])).code).toBe(0);
    expect((await certgate(['api', 'security', 'orders', '--certificate', 'client1', '--data-dir', data])).code).toBe(0);
  });

  afterAll(async () => {
    await backend?.close();
    await dir?.remove();
    await pki?.remove();
  });

  it('exit 0 when the back end accepts the certificate; --json gives the diagnosis', async () => {
    const human = await certgate(['api', 'diagnose', 'orders', '--data-dir', data]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^ {2}client-certificate +ok +\d+ ms {2}Required: .* It accepted client1/m);
    expect(human.stdout).toMatch(/^ {2}http +ok +\d+ ms {2}GET \/svc → 200 OK\.$/m);
    expect(human.stdout).toContain('Server certificate chain (TLSv1.3');
    expect(human.stdout).toContain('No problems found');
    const json = await certgate(['api', 'diagnose', 'orders', '--json', '--timeout', '5', '--data-dir', data]);
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as Diagnosis;
    expect(d).toMatchObject({ apiId: 'orders', ok: true, httpStatus: 200, clientCertificate: { accepted: true, presented: { id: 'client1' } } });
    expect(json.stdout).not.toContain('PRIVATE KEY');
  });

  it('exit 1 with the problem and its fix when the API sends no certificate', async () => {
    expect((await certgate(['api', 'security', 'orders', '--none', '--data-dir', data])).code).toBe(0);
    const r = await certgate(['api', 'diagnose', 'orders', '--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The back end asks for a client certificate and this API sends none (TLS alert certificate_required). (backend-certificate-required)');
    expect(r.stdout).toContain('Fix: Set Security → Mutual certificates');
  });
});
