import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainEntry } from '../../../../preload/contract';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { expiringCertificates, thresholdFor } from '../../../../main/core/services/expiry';
import { DEFAULT_POLICY_XML } from '../../../../main/core/policy';
import { emptyStore, type StoredApi, type StoredCertificate, type StoreData } from '../../../../main/core/store/schema';
import { testCore } from '../../../helpers/core';
import { tempDir } from '../../../helpers/temp-dir';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

let serial = 0;
function cert(id: string, notAfter: string, chainRest: readonly Pick<ChainEntry, 'subject' | 'notAfter'>[] = []): StoredCertificate {
  const thumbprint = (++serial).toString(16).toUpperCase().padStart(40, '0');
  const leaf: ChainEntry = { subject: `CN=${id}`, issuer: 'CN=Issuing CA', thumbprint, notBefore: at(-365), notAfter };
  return {
    id,
    subject: `CN=${id}`,
    commonName: id,
    issuer: 'CN=Issuing CA',
    serialNumber: String(serial),
    thumbprint,
    sha256Fingerprint: '',
    notBefore: at(-365),
    notAfter,
    keyType: 'RSA',
    keySize: 2048,
    curve: null,
    subjectAltNames: [],
    selfSigned: false,
    friendlyName: null,
    chain: [leaf, ...chainRest.map((c, i) => ({ subject: c.subject, issuer: 'CN=Root', thumbprint: `${i}`.padStart(40, 'F'), notBefore: at(-365), notAfter: c.notAfter }))],
    protection: { format: 'pkcs12', keyEncryption: 'none', certificateEncryption: 'none', mac: 'none', iterations: null, macIterations: null, weak: false, weakReasons: [] },
    uploadedAt: at(-1),
    updatedAt: at(-1),
    secretRef: `ref-${id}`,
  };
}

function api(id: string, credential: string): StoredApi {
  return {
    id,
    displayName: `API ${id}`,
    path: id,
    serviceUrl: 'https://localhost:9',
    description: '',
    backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] },
    createdAt: at(-1),
    updatedAt: at(-1),
    policyXml: DEFAULT_POLICY_XML.replace('<base />', `<base />\n        ${credential}`),
  };
}

function data(certificates: StoredCertificate[], apis: StoredApi[] = []): StoreData {
  return { ...emptyStore(), certificates, apis };
}

describe('expiringCertificates (pure, fixed clock)', () => {
  it('puts each certificate at the smallest threshold it crossed, most urgent first', () => {
    const certs = [
      cert('far', at(45)),
      cert('d30', at(30)),
      cert('d8', at(8)),
      cert('d7', at(7)),
      cert('d2', at(2)),
      cert('d1', at(1)),
      cert('hours', at(0.5)),
      cert('just-expired', at(-1 / 24)),
      cert('expired', at(-3.5)),
    ];
    const found = expiringCertificates(data(certs), NOW, 30);
    expect(found.map((e) => [e.certificateId, e.threshold, e.daysLeft])).toEqual([
      ['expired', 0, -3],
      ['just-expired', 0, 0],
      ['hours', 1, 0],
      ['d1', 1, 1],
      ['d2', 7, 2],
      ['d7', 7, 7],
      ['d8', 30, 8],
      ['d30', 30, 30],
    ]);
    expect(found.every((e) => e.which === 'leaf' && e.expiringSubject === e.subject)).toBe(true);
  });

  it('honours the window: 0 days lists only what has expired; a wider one reaches further', () => {
    const certs = [cert('far', at(45)), cert('soon', at(3)), cert('expired', at(-1))];
    expect(expiringCertificates(data(certs), NOW, 0).map((e) => e.certificateId)).toEqual(['expired']);
    expect(expiringCertificates(data(certs), NOW, 90).map((e) => [e.certificateId, e.threshold])).toEqual([
      ['expired', 0],
      ['soon', 7],
      ['far', 30],
    ]);
  });

  it('reports a CA certificate of the chain that expires before the leaf', () => {
    const certs = [
      cert('weak-chain', at(200), [{ subject: 'CN=Intermediate', notAfter: at(5) }, { subject: 'CN=Root', notAfter: at(3000) }]),
      cert('sound-chain', at(10), [{ subject: 'CN=Intermediate', notAfter: at(20) }]),
      cert('long-chain', at(200), [{ subject: 'CN=Intermediate', notAfter: at(100) }]),
    ];
    expect(expiringCertificates(data(certs), NOW, 30)).toEqual([
      expect.objectContaining({ certificateId: 'weak-chain', which: 'chain', expiringSubject: 'CN=Intermediate', notAfter: at(5), daysLeft: 5, threshold: 7 }),
      expect.objectContaining({ certificateId: 'sound-chain', which: 'leaf', expiringSubject: 'CN=sound-chain', daysLeft: 10, threshold: 30 }),
    ]);
  });

  it('names the APIs that use each certificate, by id or thumbprint', () => {
    const a = cert('a', at(3));
    const found = expiringCertificates(
      data([a], [api('orders', '<authentication-certificate certificate-id="a" />'), api('payments', `<authentication-certificate thumbprint="${a.thumbprint}" />`), api('none', '')]),
      NOW,
      30,
    );
    expect(found[0]?.usedBy).toEqual([
      { apiId: 'orders', apiName: 'API orders', reference: 'certificate-id' },
      { apiId: 'payments', apiName: 'API payments', reference: 'thumbprint' },
    ]);
  });

  it('thresholdFor draws the lines at exactly 30, 7 and 1 days, and at expiry', () => {
    expect([30 * DAY + 1, 30 * DAY, 7 * DAY + 1, 7 * DAY, DAY + 1, DAY, 1, 0, -1].map(thresholdFor)).toEqual([30, 30, 30, 7, 7, 1, 1, 0, 0]);
  });
});

describe('expiry of a real chain (openssl: an intermediate that expires before the leaf)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pfx: Buffer;
  beforeAll(async () => {
    dir = await tempDir();
    const f = (name: string): string => path.join(dir.path, name);
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
    const caExt = f('ca.ext');
    writeFileSync(caExt, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-noenc', '-days', '3650', '-subj', '/CN=Chain Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', f('root.key'), '-out', f('root.crt'));
    openssl('req', '-newkey', 'rsa:2048', '-noenc', '-subj', '/CN=Chain Intermediate', '-keyout', f('int.key'), '-out', f('int.csr'));
    openssl('x509', '-req', '-in', f('int.csr'), '-CA', f('root.crt'), '-CAkey', f('root.key'), '-set_serial', '2', '-days', '5', '-extfile', caExt, '-out', f('int.crt'));
    openssl('req', '-newkey', 'rsa:2048', '-noenc', '-subj', '/CN=chain-leaf', '-keyout', f('leaf.key'), '-out', f('leaf.csr'));
    openssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('int.crt'), '-CAkey', f('int.key'), '-set_serial', '3', '-days', '60', '-out', f('leaf.crt'));
    writeFileSync(f('chain.crt'), readFileSync(f('int.crt'), 'utf8') + readFileSync(f('root.crt'), 'utf8'));
    openssl('pkcs12', '-export', '-inkey', f('leaf.key'), '-in', f('leaf.crt'), '-certfile', f('chain.crt'), '-out', f('leaf.pfx'), '-passout', 'pass:pw');
    pfx = readFileSync(f('leaf.pfx'));
  });
  afterAll(async () => dir.remove());

  it('the pure function reports the intermediate, with a fixed clock', async () => {
    const parsed = await parseCertificateFile(pfx, 'pw');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { info } = parsed.value;
    expect(info.chain.map((c) => c.subject)).toEqual(['CN=chain-leaf', 'CN=Chain Intermediate', 'CN=Chain Root']);
    // The clock starts when the intermediate was issued: its 5 days are whole days from there.
    const uploaded = new Date(Date.parse(info.chain[1]!.notBefore));
    const stored: StoredCertificate = { ...info, id: 'chain-leaf', uploadedAt: uploaded.toISOString(), updatedAt: uploaded.toISOString(), secretRef: 'ref' };
    const found = expiringCertificates(data([stored]), uploaded, 30);
    expect(found).toEqual([expect.objectContaining({ certificateId: 'chain-leaf', which: 'chain', expiringSubject: 'CN=Chain Intermediate', threshold: 7, daysLeft: 5 })]);
    // Two days before the intermediate's end: the 7-day threshold; a day after it: expired.
    expect(expiringCertificates(data([stored]), new Date(uploaded.getTime() + 3 * DAY), 30)[0]).toMatchObject({ threshold: 7, daysLeft: 2 });
    expect(expiringCertificates(data([stored]), new Date(uploaded.getTime() + 6 * DAY), 30)[0]).toMatchObject({ which: 'chain', threshold: 0, daysLeft: -1 });
  });

  it('the certificates.expiring operation reports it through the core', async () => {
    const t = await testCore();
    try {
      expect((await t.core.operations['certificates.upload']({ data: pfx.toString('base64'), password: 'pw' })).ok).toBe(true);
      const r = await t.core.operations['certificates.expiring']({ withinDays: 30 });
      expect(r.ok && r.value.map((e) => [e.certificateId, e.which, e.expiringSubject, e.threshold])).toEqual([['chain-leaf', 'chain', 'CN=Chain Intermediate', 7]]);
      const none = await t.core.operations['certificates.expiring']({ withinDays: 0 });
      expect(none).toEqual({ ok: true, value: [] });
    } finally {
      await t.remove();
    }
  });
});
