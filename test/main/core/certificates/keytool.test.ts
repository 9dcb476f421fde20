/** PKCS #12 keystores made by Java keytool (RSA and EC key entries, and a trust store without keys). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { certFacts, keytool, openssl, tempDir } from './fixtures';

/** Java 17's keytool accepts only ASCII store passwords. */
const STOREPASS = 'changeit';
let tmp: Awaited<ReturnType<typeof tempDir>>;

function genKeyPair(store: string, alias: string, keyArgs: readonly string[], dname: string): Promise<void> {
  return keytool(tmp.dir, ['-genkeypair', '-alias', alias, ...keyArgs, '-dname', dname, '-validity', '365', '-storetype', 'PKCS12', '-keystore', store, '-storepass', STOREPASS]);
}

beforeAll(async () => {
  tmp = await tempDir();
  openssl(tmp.dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Some CA', '-days', '30']);
  await Promise.all([
    genKeyPair('rsa.p12', 'rsa-client', ['-keyalg', 'RSA', '-keysize', '3072'], 'CN=keytool-rsa, O=Contoso, C=US'),
    genKeyPair('ec.p12', 'ec-client', ['-keyalg', 'EC', '-groupname', 'secp384r1'], 'CN=keytool-ec, O=Contoso, C=US'),
    keytool(tmp.dir, ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-storetype', 'PKCS12', '-keystore', 'trust.p12', '-storepass', STOREPASS]),
  ]);
  for (const [store, alias] of [['rsa.p12', 'rsa-client'], ['ec.p12', 'ec-client']] as const) {
    await keytool(tmp.dir, ['-exportcert', '-rfc', '-alias', alias, '-keystore', store, '-storepass', STOREPASS, '-file', `${alias}.pem`]);
  }
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('Java keytool keystores', () => {
  it.each([
    ['rsa.p12', 'rsa-client', { keyType: 'RSA', keySize: 3072, curve: null, commonName: 'keytool-rsa' }],
    ['ec.p12', 'ec-client', { keyType: 'EC', keySize: null, curve: 'P-384', commonName: 'keytool-ec' }],
  ] as const)('reads %s', async (store, alias, expected) => {
    const facts = certFacts(tmp.dir, `${alias}.pem`);
    const result = await parseCertificateFile(await readFile(path.join(tmp.dir, store)), STOREPASS);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    expect(result.value.info).toMatchObject({
      ...expected,
      thumbprint: facts.thumbprint,
      subject: `CN=${expected.commonName},O=Contoso,C=US`,
      friendlyName: alias,
      selfSigned: true,
    });
    expect(result.value.info.protection).toMatchObject({ format: 'pkcs12', mac: 'HMAC-SHA256', keyEncryption: 'PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC' });
    const wrong = await parseCertificateFile(await readFile(path.join(tmp.dir, store)), 'changeit!', { fileName: store });
    expect(wrong.ok || wrong.error.code).toBe('bad-password');
  });

  it('refuses a trust store (certificates without keys)', async () => {
    const result = await parseCertificateFile(await readFile(path.join(tmp.dir, 'trust.p12')), STOREPASS, { fileName: 'trust.p12' });
    expect(result.ok || result.error.code).toBe('no-private-key');
  });
});
