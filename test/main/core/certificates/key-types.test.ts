/** EC (P-256, P-384, P-521) and Ed25519 client certificates, in PFX (modern and legacy) and PEM files. */
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { certFacts, exportPfx, KEY_ARGS, makeLeaf, makePki, openssl, tempDir, type Pki } from './fixtures';

const kinds = [
  { name: 'EC P-256', args: KEY_ARGS.p256, keyType: 'EC', curve: 'P-256' },
  { name: 'EC P-384', args: KEY_ARGS.p384, keyType: 'EC', curve: 'P-384' },
  { name: 'EC P-521', args: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'], keyType: 'EC', curve: 'P-521' },
  { name: 'Ed25519', args: KEY_ARGS.ed25519, keyType: 'Ed25519', curve: null },
] as const;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
  for (const [i, kind] of kinds.entries()) makeLeaf(tmp.dir, `k${i}`, kind.args, `/O=Contoso/CN=${kind.name}`);
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('key types', () => {
  it.each(kinds.map((k, i) => [k.name, k, i] as const))('reads a %s PFX (default and -legacy) and PEM', async (_name, kind, i) => {
    const facts = certFacts(tmp.dir, `k${i}.pem`);
    const files = [
      await exportPfx(pki, `k${i}.pfx`, 'pw', [], `k${i}`),
      await exportPfx(pki, `k${i}-legacy.pfx`, 'pw', ['-legacy'], `k${i}`),
      Buffer.concat([await pki.read(`k${i}.pem`), await pki.read(`k${i}.key`), await pki.read('chain.pem')]),
    ];
    for (const file of files) {
      const result = await parseCertificateFile(file, 'pw');
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      expect(result.value.info).toMatchObject({ keyType: kind.keyType, curve: kind.curve, keySize: null, thumbprint: facts.thumbprint, commonName: kind.name });
      expect(result.value.info.chain).toHaveLength(3);
      expect(() => createSecureContext({ key: result.value.keyPem, cert: result.value.chainPem })).not.toThrow();
    }
  });

  it('refuses a key type CertGate does not support (DSA), naming it', async () => {
    const dir = tmp.dir;
    openssl(dir, ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa.param']);
    openssl(dir, ['req', '-x509', '-newkey', 'param:dsa.param', '-nodes', '-keyout', 'dsa.key', '-out', 'dsa.pem', '-subj', '/CN=dsa', '-days', '30']);
    const result = await parseCertificateFile(Buffer.concat([await pki.read('dsa.pem'), await pki.read('dsa.key')]), undefined, { fileName: 'dsa.pem' });
    expect(result.ok || result.error).toEqual({
      code: 'unsupported-algorithm',
      message: 'CertGate cannot use the DSA key in dsa.pem: it supports RSA, EC and Ed25519 keys.',
    });
  });
});
