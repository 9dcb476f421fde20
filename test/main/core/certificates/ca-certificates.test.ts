/** CA certificates for back-end trust: PEM bundles, DER (single or concatenated), OpenSSL trusted certificates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, parseCaCertificates } from '../../../../main/core/certificates/parse';
import { certFacts, makePki, openssl, tempDir, type Pki } from './fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;
let rootPem: string;
let intPem: string;

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
  openssl(tmp.dir, ['x509', '-in', 'root.pem', '-outform', 'DER', '-out', 'root.der']);
  openssl(tmp.dir, ['x509', '-in', 'int.pem', '-outform', 'DER', '-out', 'int.der']);
  openssl(tmp.dir, ['x509', '-in', 'root.pem', '-trustout', '-addtrust', 'serverAuth', '-out', 'root-trusted.pem']);
  rootPem = (await pki.read('root.pem')).toString();
  intPem = (await pki.read('int.pem')).toString();
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('parseCaCertificates', () => {
  it('reads a PEM bundle, one entry per certificate, without duplicates', () => {
    const result = parseCaCertificates(`${rootPem}\n${intPem}${rootPem}`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toHaveLength(2);
    const [root, int] = result.value;
    const facts = certFacts(tmp.dir, 'root.pem');
    expect(root!.info).toMatchObject({
      subject: 'CN=Contoso Test Root,O=Contoso,C=US',
      commonName: 'Contoso Test Root',
      issuer: 'CN=Contoso Test Root,O=Contoso,C=US',
      thumbprint: facts.thumbprint,
      serialNumber: facts.serial,
      notAfter: facts.notAfter,
      selfSigned: true,
    });
    expect(root!.info.chain).toHaveLength(1);
    expect(root!.pem).toBe(rootPem);
    expect(int!.info.selfSigned).toBe(false);
    expect(Object.keys(root!.info)).not.toContain('keyType');
  });

  it('reads DER, single or concatenated, and OpenSSL TRUSTED CERTIFICATE blocks', async () => {
    const root = await pki.read('root.der');
    const both = Buffer.concat([root, await pki.read('int.der')]);
    expect(parseCaCertificates(root).ok && parseCaCertificates(root)).toMatchObject({ value: [{ pem: rootPem }] });
    const pair = parseCaCertificates(both);
    expect(pair.ok && pair.value.map((c) => c.info.commonName)).toEqual(['Contoso Test Root', 'Contoso Test Intermediate']);
    const trusted = parseCaCertificates(await pki.read('root-trusted.pem'));
    expect(trusted.ok && trusted.value[0]!.pem).toBe(rootPem);
  });

  it('ignores a private key next to the certificates', async () => {
    const result = parseCaCertificates(Buffer.concat([await pki.read('root.key'), await pki.read('root.pem')]));
    expect(result.ok && result.value).toHaveLength(1);
  });

  it('refuses text without certificates, garbage and oversized input', async () => {
    expect(parseCaCertificates((await pki.read('root.key')).toString())).toMatchObject({ ok: false, error: { code: 'no-certificate' } });
    expect(parseCaCertificates('hello')).toMatchObject({ ok: false, error: { code: 'invalid-format' } });
    expect(parseCaCertificates(Buffer.from('not a certificate at all'))).toMatchObject({ ok: false, error: { code: 'invalid-format' } });
    expect(parseCaCertificates(rootPem.replace('MII', 'MIX'))).toMatchObject({ ok: false, error: { code: 'invalid-format' } });
    expect(parseCaCertificates(new Uint8Array(MAX_FILE_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });
});
