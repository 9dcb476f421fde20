/**
 * Metadata: RFC 4514 names with escaping, SANs, dates (UTCTime and GeneralizedTime), self-signed
 * detection, chains in any order (leaf not first, extra certificates), BER-encoded and forge-made files.
 */
import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { toBer } from './der-edit';
import { certFacts, exportPfx, makeLeaf, makePki, openssl, tempDir, KEY_ARGS, type Pki } from './fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
  const d = tmp.dir;
  openssl(d, [
    'req', '-x509', ...KEY_ARGS.p256, '-nodes', '-keyout', 'odd.key', '-out', 'odd.pem', '-days', '30',
    '-subj', '/C=US/O=Acme\\, Inc.+OU=R&D/CN=#lead "q" <x>;y\\\\z /emailAddress=a@b.c',
    '-addext', 'subjectAltName=DNS:example.com,DNS:*.example.org,IP:127.0.0.1,IP:::1,email:me@example.com,URI:https://example.com/a?b=c',
  ]);
  openssl(d, ['req', '-x509', '-utf8', ...KEY_ARGS.ed25519, '-nodes', '-keyout', 'long.key', '-out', 'long.pem', '-days', '36500', '-subj', '/CN=Jürgen 日本']);
  makeLeaf(d, 'other', KEY_ARGS.rsa, '/CN=other');
});

afterAll(async () => {
  await tmp?.cleanup();
});

async function parsePem(...names: string[]) {
  const result = await parseCertificateFile(Buffer.concat(await Promise.all(names.map((n) => pki.read(n)))), undefined);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function forgePfx(keyFile: string, certFiles: readonly string[], password: string, options: Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3] = {}): Promise<Buffer> {
  return Promise.all([pki.read(keyFile), ...certFiles.map((f) => pki.read(f))]).then(([key, ...certs]) => {
    const asn1 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(key!.toString()),
      certs.map((c) => forge.pki.certificateFromPem(c.toString())),
      password,
      { algorithm: '3des', ...options },
    );
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  });
}

describe('certificate metadata', () => {
  it('writes names as RFC 4514 strings, most specific first, escaped', async () => {
    const { info } = await parsePem('odd.pem', 'odd.key');
    expect(info.subject).toBe('emailAddress=a@b.c,CN=\\#lead \\"q\\" \\<x\\>\\;y\\\\z\\ ,OU=R&D+O=Acme\\, Inc.,C=US');
    expect(info.commonName).toBe('#lead "q" <x>;y\\z ');
    expect(info.issuer).toBe(info.subject);
    expect(info.selfSigned).toBe(true);
  });

  it('lists subject alternative names as Node names them', async () => {
    const { info } = await parsePem('odd.pem', 'odd.key');
    expect(info.subjectAltNames).toEqual([
      'DNS:example.com',
      'DNS:*.example.org',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      'email:me@example.com',
      'URI:https://example.com/a?b=c',
    ]);
  });

  it('reads UTF-8 names and GeneralizedTime dates after 2049', async () => {
    const { info } = await parsePem('long.pem', 'long.key');
    const facts = certFacts(tmp.dir, 'long.pem');
    expect(info.commonName).toBe('Jürgen 日本');
    expect(info.subject).toBe('CN=Jürgen 日本');
    expect(new Date(info.notAfter).getUTCFullYear()).toBeGreaterThan(2100);
    expect(info.notAfter).toBe(facts.notAfter);
    expect(info.keyType).toBe('Ed25519');
    expect(info.subjectAltNames).toEqual([]);
  });

  it('gives serial number and fingerprints as OpenSSL does, and ISO dates', async () => {
    const { info } = await parsePem('leaf.pem', 'leaf.key');
    const facts = certFacts(tmp.dir, 'leaf.pem');
    expect(info).toMatchObject({ serialNumber: facts.serial, thumbprint: facts.thumbprint, sha256Fingerprint: facts.sha256, notBefore: facts.notBefore });
    expect(info.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(info.sha256Fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(info.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(info.chain[0]).toEqual({ subject: info.subject, issuer: info.issuer, thumbprint: info.thumbprint, notBefore: info.notBefore, notAfter: info.notAfter });
  });

  it('finds the leaf of a PFX that lists it last, and orders the chain', async () => {
    const file = await forgePfx('leaf.key', ['root.pem', 'int.pem', 'leaf.pem'], 'pw', { friendlyName: 'forge client', generateLocalKeyId: false });
    const result = await parseCertificateFile(file, 'pw');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info.thumbprint).toBe(certFacts(tmp.dir, 'leaf.pem').thumbprint);
    expect(result.value.info.chain.map((c) => c.subject.split(',')[0])).toEqual(['CN=client1', 'CN=Contoso Test Intermediate', 'CN=Contoso Test Root']);
    expect(result.value.info.protection).toMatchObject({ mac: 'HMAC-SHA1', keyEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC', certificateEncryption: 'none' });
    const leafPem = forge.pki.certificateToPem(forge.pki.certificateFromPem((await pki.read('leaf.pem')).toString()));
    expect(result.value.chainPem.startsWith(leafPem.replaceAll('\r\n', '\n'))).toBe(true);
  });

  it('puts certificates outside the chain after it', async () => {
    const value = await parsePem('other.pem', 'root.pem', 'leaf.key', 'leaf.pem', 'int.pem');
    expect(value.info.chain.map((c) => c.subject.split(',')[0])).toEqual(['CN=client1', 'CN=Contoso Test Intermediate', 'CN=Contoso Test Root', 'CN=other']);
  });

  it('refuses a PFX whose key belongs to none of its certificates', async () => {
    const file = await forgePfx('other.key', ['leaf.pem', 'int.pem'], 'pw');
    const result = await parseCertificateFile(file, 'pw', { fileName: 'mismatch.pfx' });
    expect(result.ok || result.error.code).toBe('key-mismatch');
  });

  it('reads a BER-encoded PFX (indefinite lengths, constructed OCTET STRINGs)', async () => {
    const der = await exportPfx(pki, 'ber.pfx', 'pw');
    const ber = toBer(der, 256);
    expect(ber.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
    const result = await parseCertificateFile(ber, 'pw');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info.thumbprint).toBe(certFacts(tmp.dir, 'leaf.pem').thumbprint);
    expect(createPrivateKey(result.value.keyPem).asymmetricKeyType).toBe('rsa');
  });
});
