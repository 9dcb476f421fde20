import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../../../helpers/core';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';

const run = promisify(execFile);

/** OpenSSL 3 with its default provider only: what a modern tool can read. */
async function openssl(args: readonly string[]): Promise<string> {
  const { stdout, stderr } = await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  return stdout + stderr;
}

describe('certificates.export: modern files from a -legacy import', () => {
  let pki: TestPki;
  let t: Awaited<ReturnType<typeof testCore>>;
  const certs: Record<string, CertFiles> = {};

  beforeAll(async () => {
    pki = await createTestPki();
    t = await testCore();
    const intermediate = await pki.createCa('Export Intermediate');
    for (const keyType of ['rsa', 'ec', 'ed25519'] as const) {
      const cert = await pki.issueClient({ cn: `export-${keyType}`, keyType, ca: intermediate });
      certs[keyType] = cert;
      const legacy = path.join(pki.dir, `${keyType}-legacy.pfx`);
      await run('openssl', [
        'pkcs12', '-export', '-legacy', '-in', cert.certPath, '-inkey', cert.keyPath, '-certfile', intermediate.certPath,
        '-name', `Friendly ${keyType}`, '-out', legacy, '-passout', 'pass:old-secret',
      ]);
      const uploaded = await t.core.operations['certificates.upload']({ id: keyType, data: (await readFile(legacy)).toString('base64'), password: 'old-secret' });
      expect(uploaded.ok, JSON.stringify(uploaded)).toBe(true);
      if (uploaded.ok) expect(uploaded.value.certificate.protection.certificateEncryption).toMatch(/RC2/);
    }
  }, 60_000);

  afterAll(async () => {
    await t?.remove();
    await pki?.remove();
  });

  async function exported(input: Parameters<typeof t.core.operations['certificates.export']>[0]) {
    const result = await t.core.operations['certificates.export'](input);
    if (!result.ok) throw new Error(result.error.message);
    const file = path.join(t.dir, `${input.id}-${input.format}-${Date.now()}`);
    await writeFile(file, Buffer.from(result.value.data, 'base64'));
    return { ...result.value, file, bytes: Buffer.from(result.value.data, 'base64') };
  }

  it.each(['rsa', 'ec', 'ed25519'])('a PFX of a %s key opens in OpenSSL 3 without the legacy provider, in Node, and re-imports with the same thumbprint', async (keyType) => {
    const pfx = await exported({ id: keyType, format: 'pfx', includePrivateKey: true, password: 'new secret é' });
    expect(pfx.containsPrivateKey).toBe(true);
    expect(pfx.fileName).toBe(`${keyType}.pfx`);

    const info = await openssl(['pkcs12', '-in', pfx.file, '-info', '-noenc', '-passin', 'pass:new secret é']);
    expect(info).toContain('MAC: sha256, Iteration 100000');
    expect(info).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(info).toContain(`friendlyName: Friendly ${keyType}`);
    expect(info).toContain('-----BEGIN PRIVATE KEY-----');
    expect(info.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    await expect(openssl(['pkcs12', '-in', pfx.file, '-noenc', '-passin', 'pass:wrong'])).rejects.toThrow(/mac verify failure|invalid password/i);

    expect(() => tls.createSecureContext({ pfx: pfx.bytes, passphrase: 'new secret é' })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx: pfx.bytes, passphrase: 'wrong' })).toThrow();

    const other = await testCore();
    try {
      const again = await other.core.operations['certificates.upload']({ data: pfx.data, password: 'new secret é' });
      expect(again.ok, JSON.stringify(again)).toBe(true);
      if (!again.ok) return;
      expect(again.value.certificate.thumbprint).toBe(certs[keyType]!.thumbprint);
      expect(again.value.certificate.chain).toHaveLength(2);
      expect(again.value.certificate.friendlyName).toBe(`Friendly ${keyType}`);
      expect(again.value.certificate.protection).toMatchObject({ mac: 'HMAC-SHA256', weak: false });
    } finally {
      await other.remove();
    }
  }, 30_000);

  it('a PEM export is the chain and a PKCS #8 key, encrypted with a password, that OpenSSL, Node and CertGate read', async () => {
    const pem = await exported({ id: 'ec', format: 'pem', includePrivateKey: true, password: 'pem pass' });
    const text = pem.bytes.toString('utf8');
    expect(text.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(text).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(text).not.toContain('-----BEGIN PRIVATE KEY-----');
    expect(new X509Certificate(text).fingerprint.replace(/:/g, '')).toBe(certs.ec!.thumbprint);
    const key = await openssl(['pkey', '-in', pem.file, '-passin', 'pass:pem pass']);
    expect(key).toContain('-----BEGIN PRIVATE KEY-----');
    expect(() => tls.createSecureContext({ cert: text, key: text, passphrase: 'pem pass' })).not.toThrow();

    const plain = await exported({ id: 'rsa', format: 'pem', includePrivateKey: true });
    expect(plain.bytes.toString('utf8')).toContain('-----BEGIN PRIVATE KEY-----');

    const other = await testCore();
    try {
      for (const [file, password] of [[pem, 'pem pass'], [plain, undefined]] as const) {
        const again = await other.core.operations['certificates.upload']({ data: file.data, ...(password ? { password } : {}), fileName: 'x.pem' });
        expect(again.ok, JSON.stringify(again)).toBe(true);
      }
      const list = await other.core.operations['certificates.list']({});
      expect(list.ok && list.value.map((c) => c.thumbprint).sort()).toEqual([certs.ec!.thumbprint, certs.rsa!.thumbprint].sort());
    } finally {
      await other.remove();
    }
  }, 30_000);

  it('public exports carry no key: .cer is the leaf (DER), .pem without the key is the chain', async () => {
    const cer = await exported({ id: 'rsa', format: 'cer', includePrivateKey: false });
    expect(cer).toMatchObject({ fileName: 'rsa.cer', containsPrivateKey: false, mediaType: 'application/pkix-cert' });
    expect(new X509Certificate(cer.bytes).fingerprint.replace(/:/g, '')).toBe(certs.rsa!.thumbprint);
    expect(await openssl(['x509', '-inform', 'DER', '-in', cer.file, '-noout', '-subject'])).toContain('export-rsa');
    const pub = await exported({ id: 'rsa', format: 'pem', includePrivateKey: false });
    expect(pub.containsPrivateKey).toBe(false);
    expect(pub.bytes.toString('utf8')).not.toMatch(/PRIVATE KEY/);
    expect((await stat(pub.file)).size).toBeGreaterThan(0);
  });

  it('refuses what would be unsafe or meaningless, and unknown ids', async () => {
    const call = t.core.operations['certificates.export'];
    expect(await call({ id: 'rsa', format: 'pfx', includePrivateKey: true })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call({ id: 'rsa', format: 'pfx', includePrivateKey: false, password: 'x' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call({ id: 'rsa', format: 'cer', includePrivateKey: true })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call({ id: 'nope', format: 'cer', includePrivateKey: false })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
