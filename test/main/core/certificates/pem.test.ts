/** PEM files: certificate + key (clear, PKCS #8 encrypted, traditional OpenSSL forms), chains in any order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { certFacts, KEY_ARGS, makeLeaf, makePki, openssl, tempDir, type CertFacts, type Pki } from './fixtures';

const PASSWORD = 'pem-pässword';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;
let leaf: CertFacts;
/** Build a PEM file text from fixture files. */
async function pem(...names: string[]): Promise<Buffer> {
  const parts: string[] = [];
  for (const name of names) parts.push((await pki.read(name)).toString('utf8'));
  return Buffer.from(parts.join(''));
}

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
  leaf = certFacts(tmp.dir, 'leaf.pem');
  const d = tmp.dir;
  const pass = `pass:${PASSWORD}`;
  openssl(d, ['pkcs8', '-topk8', '-in', 'leaf.key', '-passout', pass, '-out', 'pbes2.key']);
  openssl(d, ['pkcs8', '-topk8', '-in', 'leaf.key', '-passout', pass, '-v1', 'PBE-SHA1-3DES', '-out', 'p12pbe.key']);
  openssl(d, ['pkcs8', '-topk8', '-in', 'leaf.key', '-passout', pass, '-v1', 'PBE-MD5-DES', '-provider', 'legacy', '-provider', 'default', '-out', 'pbes1.key']);
  openssl(d, ['rsa', '-in', 'leaf.key', '-traditional', '-out', 'trad.key']);
  openssl(d, ['rsa', '-in', 'leaf.key', '-traditional', '-aes256', '-passout', pass, '-out', 'trad-aes.key']);
  openssl(d, ['rsa', '-in', 'leaf.key', '-traditional', '-des3', '-passout', pass, '-out', 'trad-des3.key']);
  makeLeaf(d, 'ec', KEY_ARGS.p256, '/O=Contoso/CN=ec-client');
  openssl(d, ['ec', '-in', 'ec.key', '-out', 'ec-trad.key']);
  openssl(d, ['ec', '-in', 'ec.key', '-aes128', '-passout', pass, '-out', 'ec-trad-aes.key']);
  openssl(d, ['ecparam', '-name', 'prime256v1', '-genkey', '-out', 'ecparam.key']);
  openssl(d, ['req', '-x509', '-key', 'ecparam.key', '-out', 'ecparam.pem', '-subj', '/CN=ec-params', '-days', '30']);
  makeLeaf(d, 'other', KEY_ARGS.rsa, '/O=Contoso/CN=other');
  openssl(d, ['x509', '-in', 'leaf.pem', '-outform', 'DER', '-out', 'leaf.cer']);
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('PEM files', () => {
  it('reads a certificate with its key in the clear', async () => {
    const result = await parseCertificateFile(await pem('leaf.pem', 'leaf.key'), undefined);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info).toMatchObject({ thumbprint: leaf.thumbprint, keyType: 'RSA', keySize: 2048, friendlyName: null });
    expect(result.value.info.chain).toHaveLength(1);
    expect(result.value.info.protection).toEqual({
      format: 'pem',
      keyEncryption: 'none',
      certificateEncryption: 'none',
      mac: 'none',
      iterations: null,
      macIterations: null,
      weak: true,
      weakReasons: ['The private key is not encrypted'],
    });
  });

  it.each([
    ['PBES2 (OpenSSL 3 default)', 'pbes2.key', 'PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC', 2048],
    ['PKCS #12 PBE with 3DES', 'p12pbe.key', 'pbeWithSHAAnd3-KeyTripleDES-CBC', 2048],
    ['PBES1 with MD5 and DES', 'pbes1.key', 'pbeWithMD5AndDES-CBC', 2048],
    ['traditional RSA with AES-256', 'trad-aes.key', 'OpenSSL-PEM/MD5/AES-256-CBC', 1],
    ['traditional RSA with 3DES', 'trad-des3.key', 'OpenSSL-PEM/MD5/DES-EDE3-CBC', 1],
  ])('reads a key encrypted with %s, and refuses a wrong or missing password', async (_name, keyFile, scheme, iterations) => {
    const file = await pem('leaf.pem', keyFile, 'chain.pem');
    const result = await parseCertificateFile(file, PASSWORD);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info.thumbprint).toBe(leaf.thumbprint);
    expect(result.value.info.protection).toMatchObject({ format: 'pem', keyEncryption: scheme, iterations });
    expect(result.value.info.chain).toHaveLength(3);

    const wrong = await parseCertificateFile(file, 'wrong', { fileName: 'client.pem' });
    expect(wrong).toEqual({ ok: false, error: { code: 'bad-password', message: 'The password is wrong for client.pem.' } });
    const missing = await parseCertificateFile(file, undefined, { fileName: 'client.pem' });
    expect(missing.ok || missing.error.code).toBe('bad-password');
  });

  it('reads traditional "RSA PRIVATE KEY" and "EC PRIVATE KEY" keys', async () => {
    for (const [certFile, keyFile, keyType] of [
      ['leaf.pem', 'trad.key', 'RSA'],
      ['ec.pem', 'ec-trad.key', 'EC'],
      ['ec.pem', 'ec-trad-aes.key', 'EC'],
      ['ecparam.pem', 'ecparam.key', 'EC'],
    ] as const) {
      const file = await pem(certFile, keyFile);
      expect(file.toString()).toMatch(/BEGIN (RSA|EC) PRIVATE KEY/);
      const result = await parseCertificateFile(file, PASSWORD);
      if (!result.ok) throw new Error(`${keyFile}: ${result.error.message}`);
      expect(result.value.info.keyType).toBe(keyType);
      expect(result.value.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('finds the leaf and orders the chain wherever they sit in the file', async () => {
    const result = await parseCertificateFile(await pem('root.pem', 'pbes2.key', 'int.pem', 'leaf.pem'), PASSWORD);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info.thumbprint).toBe(leaf.thumbprint);
    expect(result.value.info.chain.map((c) => c.subject)).toEqual([
      'CN=client1,O=Contoso,C=US',
      'CN=Contoso Test Intermediate,O=Contoso,C=US',
      'CN=Contoso Test Root,O=Contoso,C=US',
    ]);
  });

  it('accepts CRLF line endings and UTF-16 text with a byte order mark (Windows Notepad)', async () => {
    const text = (await pem('leaf.pem', 'leaf.key')).toString('utf8').replaceAll('\n', '\r\n');
    expect((await parseCertificateFile(Buffer.from(text), undefined)).ok).toBe(true);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await parseCertificateFile(utf16, undefined)).ok).toBe(true);
  });

  it('refuses a key that belongs to none of the certificates', async () => {
    const result = await parseCertificateFile(await pem('leaf.pem', 'chain.pem', 'other.key'), undefined, { fileName: 'mixed.pem' });
    expect(result.ok || result.error.code).toBe('key-mismatch');
    expect(result.ok || result.error.message).toBe(
      'The private key in mixed.pem does not belong to any of its certificates. Export the certificate together with its own private key.',
    );
  });

  it('refuses a certificate without a key, as PEM or DER (.cer)', async () => {
    for (const file of [await pem('leaf.pem'), await pem('leaf.pem', 'chain.pem'), await pki.read('leaf.cer')]) {
      const result = await parseCertificateFile(file, undefined, { fileName: 'client.cer' });
      expect(result.ok || result.error.code).toBe('no-private-key');
      expect(result.ok || result.error.message).toMatch(/^client\.cer /);
    }
  });

  it('refuses a key without a certificate', async () => {
    const result = await parseCertificateFile(await pem('leaf.key'), undefined);
    expect(result.ok || result.error.code).toBe('no-certificate');
  });

  it('refuses an unterminated or corrupt PEM block', async () => {
    const cert = (await pki.read('leaf.pem')).toString('utf8');
    const key = (await pki.read('leaf.key')).toString('utf8');
    for (const broken of [key + cert.replace(/-----END CERTIFICATE-----\n$/, ''), cert.replace(/\n[A-Za-z]/, '\n*') + key]) {
      const result = await parseCertificateFile(Buffer.from(broken), undefined);
      expect(result.ok || result.error.code).toBe('invalid-format');
    }
  });
});
