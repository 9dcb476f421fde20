import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certgate } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

// The CLI keeps keys in the OS keychain: run inside a D-Bus session with gnome-keyring (CI does).
const HAS_KEYCHAIN = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

describe.runIf(HAS_KEYCHAIN)('certgate cert export', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let data: string;
  let thumbprint: string;
  beforeAll(async () => {
    dir = await tempDir();
    data = path.join(dir.path, 'data');
    const base = path.join(dir.path, 'legacy');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-noenc', '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '30', '-subj', '/CN=legacy1'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-inkey', `${base}.key`, '-in', `${base}.crt`, '-out', `${base}.pfx`, '-passout', 'pass:old', '-name', 'Legacy One'], { stdio: 'ignore' });
    thumbprint = execFileSync('openssl', ['x509', '-in', `${base}.crt`, '-noout', '-fingerprint', '-sha1']).toString().split('=')[1]!.trim().replace(/:/g, '');
    const imported = await certgate(['cert', 'import', `${base}.pfx`, '--id', 'legacy1', '--password-stdin', '--data-dir', data], { stdin: 'old' });
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => dir?.remove());

  it('writes a 0600 PFX (also over a file that was 0644) that OpenSSL 3 opens without -legacy', async () => {
    const out = path.join(dir.path, 'modern.pfx');
    writeFileSync(out, 'old content', { mode: 0o644 });
    const r = await certgate(['cert', 'export', 'legacy1', '--format', 'pfx', '--out', out, '--password-stdin', '--json', '--data-dir', data], { stdin: 'fresh\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fileName: 'legacy1.pfx', containsPrivateKey: true, path: out });
    expect(r.stdout).not.toContain('"data"');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const pem = execFileSync('openssl', ['pkcs12', '-in', out, '-noenc', '-passin', 'pass:fresh'], { env: { ...process.env, OPENSSL_CONF: '/dev/null' } }).toString();
    expect(pem).toContain('friendlyName: Legacy One');
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');

  });

  it('a PFX needs a password; --public writes the certificate alone', async () => {
    const missing = await certgate(['cert', 'export', 'legacy1', '--format', 'pfx', '--out', path.join(dir.path, 'x.pfx'), '--data-dir', data]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--password-stdin');
    const cer = path.join(dir.path, 'public.cer');
    expect((await certgate(['cert', 'export', 'legacy1', '--format', 'pfx', '--public', '--out', cer, '--data-dir', data])).code).toBe(0);
    const fp = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', cer, '-noout', '-fingerprint', '-sha1']).toString();
    expect(fp.split('=')[1]!.trim().replace(/:/g, '')).toBe(thumbprint);
    const pem = await certgate(['cert', 'export', 'legacy1', '--format', 'pem', '--public', '--out', '-', '--data-dir', data]);
    expect(pem.stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(pem.stdout).not.toContain('PRIVATE KEY');
    expect(readFileSync(cer).length).toBeGreaterThan(100);
  });
});
