import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certgate } from '../../helpers/cli';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../helpers/openssl';
import { tempDir } from '../../helpers/temp-dir';

// The CLI keeps keys in the real OS keychain: these tests run inside a D-Bus session with gnome-keyring
// (CI and the README's command); without one, import refuses with keychain-unavailable (tested too).
const HAS_KEYCHAIN = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

describe('certgate CLI (subprocess)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let data: string;
  beforeAll(async () => {
    dir = await tempDir();
    client1 = makeClientPfx(dir.path, 'client1', 'pa55');
    data = path.join(dir.path, 'data');
  });
  afterAll(async () => dir.remove());

  it('cert inspect parses only: one JSON document, nothing stored', async () => {
    const r = await certgate(['cert', 'inspect', client1.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'pa55\n' });
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ commonName: 'client1', thumbprint: thumbprintOf(client1.certPem), keyType: 'RSA', subject: 'CN=client1,O=CertGate Tests' });
    expect(r.stdout).not.toContain('PRIVATE KEY');
    const list = await certgate(['cert', 'list', '--json', '--data-dir', data]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a wrong password: {"error":…} on stdout with --json and exit 1; words on stderr without', async () => {
    const json = await certgate(['cert', 'inspect', client1.pfxPath, '--password-stdin', '--json'], { stdin: 'nope' });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'bad-password', message: 'The password is wrong for client1.pfx.' } });
    const human = await certgate(['cert', 'inspect', client1.pfxPath, '--password-stdin'], { stdin: 'nope' });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('The password is wrong for client1.pfx');
    expect(human.stdout).toBe('');
  });

  it('a non-terminal stdin without --password-stdin means no password', async () => {
    const r = await certgate(['cert', 'inspect', client1.pfxPath, '--json'], { stdin: 'pa55' });
    expect(JSON.parse(r.stdout).error.code).toBe('bad-password');
  });

  it('usage mistakes exit 2 with a clear message', async () => {
    const r = await certgate(['cert', 'import']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a FILE');
    const unknown = await certgate(['cert', 'list', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'--bogus'");
  });

  it('without a keychain, import refuses with keychain-unavailable and stores nothing', async () => {
    // A D-Bus address where nothing listens: the Secret Service cannot be reached.
    const noKeychain = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certgate-test-bus', DISPLAY: '' };
    const empty = path.join(dir.path, 'no-keychain');
    const r = await certgate(['cert', 'import', client1.pfxPath, '--password-stdin', '--json', '--data-dir', empty], { stdin: 'pa55', env: noKeychain });
    expect(JSON.parse(r.stdout).error.code).toBe('keychain-unavailable');
    const list = await certgate(['cert', 'list', '--json', '--data-dir', empty]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it.runIf(HAS_KEYCHAIN)('the whole workflow: import, list, API, security, policy, delete refused then done', async () => {
    const imported = await certgate(['cert', 'import', client1.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'pa55' });
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'client1', thumbprint: thumbprintOf(client1.certPem) });

    const human = await certgate(['cert', 'list', '--data-dir', data]);
    expect(human.stdout).toMatch(/^ID\s+SUBJECT\s+THUMBPRINT\s+EXPIRES\s+USED BY\n/);
    expect(human.stdout).toMatch(/expires in (29|30) days/);

    const api = await certgate(['api', 'create', '--id', 'orders', '--name', 'Orders', '--path', 'orders', '--service-url', 'https://localhost:9443', '--ca', client1.pfxPath.replace('.pfx', '.crt'), '--json', '--data-dir', data]);
    expect(api.code).toBe(0);
    expect(JSON.parse(api.stdout).backendTls.trustedCaCertificateIds).toEqual(['client1']);
    const sec = await certgate(['api', 'security', 'orders', '--certificate', 'client1', '--data-dir', data]);
    expect(sec.code).toBe(0);
    const policy = await certgate(['policy', 'get', 'orders', '--data-dir', data]);
    expect(policy.stdout).toContain('<authentication-certificate certificate-id="client1" />');

    const refused = await certgate(['cert', 'delete', 'client1', '--data-dir', data]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Orders"');
    const refusedJson = await certgate(['cert', 'delete', 'client1', '--json', '--data-dir', data]);
    expect(JSON.parse(refusedJson.stdout).error).toMatchObject({ code: 'in-use', details: { usedBy: [{ apiId: 'orders', reference: 'certificate-id' }] } });

    const bad = path.join(dir.path, 'bad.xml');
    await writeFile(bad, '<policies>\n  <inbound>\n    <retry />\n  </inbound>\n</policies>\n');
    const badSet = await certgate(['policy', 'set', 'orders', bad, '--data-dir', data]);
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toContain('bad.xml:3:5');

    const basic = await certgate(['api', 'security', 'orders', '--basic', 'svc', '--password-stdin', '--json', '--data-dir', data], { stdin: 'hunter2' });
    expect(JSON.parse(basic.stdout)).toEqual({ type: 'basic', username: 'svc' });
    const deleted = await certgate(['cert', 'delete', 'client1', '--json', '--data-dir', data]);
    expect(JSON.parse(deleted.stdout)).toEqual({ id: 'client1' });
  });
});
