/**
 * PFX files made by OpenSSL 3 with every setting an operator might meet: defaults, -legacy, -nomac,
 * AES-128 with a SHA-512 MAC, old and odd ciphers, empty and Unicode passwords, friendly names.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { certFacts, exportPfx, makePki, pemCertificates, tempDir, type CertFacts, type Pki } from './fixtures';

const PASSWORD = 'S3cret!pass';
const UNICODE = 'pässwörd-日本';

interface Variant {
  readonly name: string;
  readonly password: string;
  readonly args: readonly string[];
  readonly protection: Record<string, unknown>;
  readonly weakReasons?: readonly string[];
}

const PBES2_AES256 = 'PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC';
const variants: readonly Variant[] = [
  {
    name: 'OpenSSL 3 defaults',
    password: PASSWORD,
    args: [],
    protection: { keyEncryption: PBES2_AES256, certificateEncryption: PBES2_AES256, mac: 'HMAC-SHA256', iterations: 2048, macIterations: 2048, weak: false },
    weakReasons: [],
  },
  {
    name: '-legacy (3DES key, RC2-40 certificates, SHA-1 MAC)',
    password: PASSWORD,
    args: ['-legacy'],
    protection: { keyEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC', certificateEncryption: 'pbeWithSHAAnd40BitRC2-CBC', mac: 'HMAC-SHA1', weak: true },
    weakReasons: ['RC2 encryption (broken)', 'DES or Triple DES encryption (outdated)', 'SHA-1 integrity check (MAC)'],
  },
  {
    name: '-nomac',
    password: PASSWORD,
    args: ['-nomac'],
    protection: { keyEncryption: PBES2_AES256, mac: 'none', macIterations: null, weak: true },
    weakReasons: ['No integrity check (MAC)'],
  },
  {
    name: 'AES-128-CBC with a SHA-512 MAC',
    password: PASSWORD,
    args: ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC', '-macalg', 'SHA512'],
    protection: { keyEncryption: 'PBES2/PBKDF2-HMAC-SHA256/AES-128-CBC', certificateEncryption: 'PBES2/PBKDF2-HMAC-SHA256/AES-128-CBC', mac: 'HMAC-SHA512', weak: false },
  },
  { name: 'an empty password', password: '', args: [], protection: { keyEncryption: PBES2_AES256, mac: 'HMAC-SHA256' } },
  { name: 'an empty password, -legacy', password: '', args: ['-legacy'], protection: { certificateEncryption: 'pbeWithSHAAnd40BitRC2-CBC' } },
  { name: 'a Unicode password', password: UNICODE, args: [], protection: { keyEncryption: PBES2_AES256 } },
  { name: 'a Unicode password, -legacy', password: UNICODE, args: ['-legacy'], protection: { keyEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC' } },
  { name: 'a Unicode password, -legacy -nomac', password: UNICODE, args: ['-legacy', '-nomac'], protection: { mac: 'none' } },
  {
    name: 'RC4 (128-bit key, 40-bit certificates)',
    password: PASSWORD,
    args: ['-legacy', '-keypbe', 'PBE-SHA1-RC4-128', '-certpbe', 'PBE-SHA1-RC4-40'],
    protection: { keyEncryption: 'pbeWithSHAAnd128BitRC4', certificateEncryption: 'pbeWithSHAAnd40BitRC4', weak: true },
  },
  {
    name: 'two-key 3DES and RC2-128',
    password: PASSWORD,
    args: ['-legacy', '-keypbe', 'PBE-SHA1-2DES', '-certpbe', 'PBE-SHA1-RC2-128'],
    protection: { keyEncryption: 'pbeWithSHAAnd2-KeyTripleDES-CBC', certificateEncryption: 'pbeWithSHAAnd128BitRC2-CBC' },
  },
  {
    name: 'PBES2 with Triple DES and DES',
    password: PASSWORD,
    args: ['-legacy', '-keypbe', 'DES-EDE3-CBC', '-certpbe', 'DES-CBC', '-macalg', 'SHA256'],
    protection: { keyEncryption: 'PBES2/PBKDF2-HMAC-SHA256/DES-EDE3-CBC', certificateEncryption: 'PBES2/PBKDF2-HMAC-SHA256/DES-CBC' },
  },
  { name: '-descert', password: PASSWORD, args: ['-descert'], protection: { certificateEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC' } },
  {
    name: 'certificates and key in the clear',
    password: PASSWORD,
    args: ['-keypbe', 'NONE', '-certpbe', 'NONE'],
    protection: { keyEncryption: 'none', certificateEncryption: 'none', iterations: null, mac: 'HMAC-SHA256' },
    weakReasons: ['The private key is not encrypted'],
  },
  {
    name: '1,000 iterations',
    password: PASSWORD,
    args: ['-iter', '1000'],
    protection: { iterations: 1000, macIterations: 1000, weak: true },
    weakReasons: ['Fewer than 2,000 password iterations'],
  },
];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;
let leaf: CertFacts;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
  leaf = certFacts(tmp.dir, 'leaf.pem');
  for (const [i, v] of variants.entries()) {
    files.set(v.name, await exportPfx(pki, `v${i}.pfx`, v.password, ['-name', 'Client One', '-caname', 'Intermediate', '-caname', 'Root', ...v.args]));
  }
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('OpenSSL 3 PFX files', () => {
  it.each(variants.map((v) => [v.name, v] as const))('reads a file made with %s', async (_name, v) => {
    const result = await parseCertificateFile(files.get(v.name)!, v.password, { fileName: 'client.pfx' });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const { info, keyPem, chainPem } = result.value;
    expect(info).toMatchObject({
      subject: 'CN=client1,O=Contoso,C=US',
      commonName: 'client1',
      issuer: 'CN=Contoso Test Intermediate,O=Contoso,C=US',
      thumbprint: leaf.thumbprint,
      sha256Fingerprint: leaf.sha256,
      serialNumber: leaf.serial,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      keyType: 'RSA',
      keySize: 2048,
      curve: null,
      selfSigned: false,
      friendlyName: 'Client One',
    });
    expect(info.protection).toMatchObject({ format: 'pkcs12', ...v.protection });
    if (v.weakReasons) expect(info.protection.weakReasons).toEqual(v.weakReasons);
    expect(info.chain.map((c) => c.subject)).toEqual([
      'CN=client1,O=Contoso,C=US',
      'CN=Contoso Test Intermediate,O=Contoso,C=US',
      'CN=Contoso Test Root,O=Contoso,C=US',
    ]);
    // What the gateway gets works as a TLS client identity, and the key is the leaf's.
    const certs = pemCertificates(chainPem);
    expect(certs).toHaveLength(3);
    expect(new X509Certificate(certs[0]!).checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(() => createSecureContext({ key: keyPem, cert: chainPem })).not.toThrow();
  });

  it.each(variants.map((v) => [v.name, v] as const))('refuses a wrong password for a file made with %s', async (_name, v) => {
    const wrong = v.password === '' ? 'not-empty' : `${v.password}x`;
    const result = await parseCertificateFile(files.get(v.name)!, wrong, { fileName: 'client.pfx' });
    expect(result).toEqual({ ok: false, error: { code: 'bad-password', message: 'The password is wrong for client.pfx.' } });
  });

  it('opens an empty-password file with no password at all (absent and empty both tried)', async () => {
    for (const name of ['an empty password', 'an empty password, -legacy']) {
      const result = await parseCertificateFile(files.get(name)!, undefined);
      expect(result.ok).toBe(true);
    }
  });

  it('asks for the password when none is given for a protected file', async () => {
    const result = await parseCertificateFile(files.get('OpenSSL 3 defaults')!, undefined, { fileName: 'C:\\certs\\client.pfx' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad-password', message: 'client.pfx is protected by a password: enter it to open the file.' },
    });
  });

  it('refuses the Unicode password given in another form (UTF-8 vs BMPString matters)', async () => {
    const result = await parseCertificateFile(files.get('a Unicode password, -legacy -nomac')!, 'passwort-日本');
    expect(result.ok || result.error.code).toBe('bad-password');
  });
});
