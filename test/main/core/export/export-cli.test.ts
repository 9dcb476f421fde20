import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certgate } from '../../../helpers/cli';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

describe('certgate export (subprocess)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client1: MadeCertificate;
  let data: string;
  beforeAll(async () => {
    dir = await tempDir();
    client1 = makeClientPfx(dir.path, 'client1', 'pa55');
    data = path.join(dir.path, 'data');
  });
  afterAll(async () => dir.remove());

  it('usage mistakes exit 2 and say what is missing', async () => {
    const none = await certgate(['export', '--data-dir', data]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('export needs --format kong, nginx or apim');
    const bad = await certgate(['export', '--format', 'traefik', '--out', dir.path, '--data-dir', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown format "traefik"');
    const noOut = await certgate(['export', '--format', 'kong', '--json', '--data-dir', data]);
    expect(noOut.code).toBe(2);
    expect(JSON.parse(noOut.stdout).error.message).toContain('--out DIR');
    const helpText = await certgate(['export', '--help']);
    expect(helpText.code).toBe(0);
    expect(helpText.stdout).toContain('Usage: certgate export --format kong|nginx|apim');
  });

  // The CLI keeps keys in the real OS keychain: run inside a D-Bus session with gnome-keyring.
  describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('with the OS keychain', () => {
    beforeAll(async () => {
      const imported = await certgate(['cert', 'import', client1.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'pa55' });
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      const api = await certgate(['api', 'create', '--id', 'orders', '--name', 'Orders', '--path', 'orders', '--service-url', 'https://orders.internal:8443', '--data-dir', data]);
      expect(api.code, api.stderr).toBe(0);
      const sec = await certgate(['api', 'security', 'orders', '--certificate', 'client1', '--data-dir', data]);
      expect(sec.code, sec.stderr).toBe(0);
    });

    it('without --with-keys: the files to supply are named, and no private key is written', async () => {
      const out = path.join(dir.path, 'nginx-no-keys');
      const r = await certgate(['export', '--format', 'nginx', '--out', out, '--data-dir', data]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Exported the nginx configuration to ${out}:`);
      expect(r.stdout).toMatch(/Not written: supply these yourself[^]*keys\/client1\.key {2}\(private key or password\)/);
      expect(r.stdout).toContain('No private key or password was written.');
      expect(await readdir(out, { recursive: true })).not.toContain(path.join('keys', 'client1.key'));
    });

    it('with --with-keys: key files are 0600 and the output says plainly which files hold them', async () => {
      const out = path.join(dir.path, 'nginx-keys');
      const r = await certgate(['export', '--format', 'nginx', '--with-keys', '--out', out, '--data-dir', data]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/keys\/client1\.key +PRIVATE KEY OR PASSWORD \(mode 0600\)/);
      expect(r.stdout).toContain('This file holds a private key or password. Keep it secret');
      expect(r.stdout).toContain(path.join(out, 'keys', 'client1.key'));
      expect((await stat(path.join(out, 'keys', 'client1.key'))).mode & 0o777).toBe(0o600);
      expect(await readFile(path.join(out, 'keys', 'client1.key'), 'utf8')).toContain('PRIVATE KEY');

      const again = await certgate(['export', '--format', 'nginx', '--with-keys', '--out', out, '--json', '--data-dir', data]);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout).error).toMatchObject({ code: 'validation', message: expect.stringContaining('never overwrites') });
    });

    it('--json prints the export result; a relative --out is resolved against the working folder', async () => {
      const r = await certgate(['export', '--format', 'kong', '--out', path.relative(process.cwd(), path.join(dir.path, 'kong')), '--json', '--data-dir', data]);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result).toMatchObject({ format: 'kong', outDir: path.join(dir.path, 'kong'), files: [{ path: 'kong.yaml', containsPrivateKey: false }] });
      expect(result.files[0].content).toContain('{vault://env/certgate-client1-key}');
      expect(r.stdout).not.toContain('PRIVATE KEY');
    });
  });
});
