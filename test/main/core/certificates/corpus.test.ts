/**
 * The shared PKCS #12 corpus (files from Windows certmgr, Windows Azure Tools, OpenSSL and the RFC 9579
 * examples): every row reaches the outcome its manifest names.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpusDir = path.resolve(repoRoot, '../shared/pkcs12-corpus');

interface Row {
  readonly file: string;
  readonly password: string;
  readonly expect: 'ok' | 'bad-password' | 'invalid-format' | 'refused';
  readonly thumbprint?: string;
  readonly subjectCN?: string;
  readonly notAfter?: string;
  readonly keyType?: string;
  readonly chainLength?: number;
}

function loadManifest(): readonly Row[] {
  // Fail loudly: a missing corpus must never turn into a silently empty test run.
  if (!existsSync(path.join(corpusDir, 'manifest.json'))) {
    throw new Error(`The PKCS #12 corpus is missing: expected ${corpusDir}/manifest.json (../shared/pkcs12-corpus from the repository root).`);
  }
  return JSON.parse(readFileSync(path.join(corpusDir, 'manifest.json'), 'utf8')) as Row[];
}

const rows = loadManifest();

describe('PKCS #12 corpus', () => {
  it('has rows to check', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  it.each(rows.map((row) => [row.file, row] as const))('%s reaches its outcome', async (_name, row) => {
    const data = readFileSync(path.join(corpusDir, row.file));
    const started = performance.now();
    const result = await parseCertificateFile(data, row.password, { fileName: row.file });
    expect(performance.now() - started).toBeLessThan(2000);

    if (row.expect === 'ok') {
      if (!result.ok) throw new Error(`${row.file}: ${result.error.code}: ${result.error.message}`);
      const info = result.value.info;
      expect(info.thumbprint).toBe(row.thumbprint);
      expect(info.commonName).toBe(row.subjectCN);
      expect(info.notAfter).toBe(new Date(row.notAfter!).toISOString());
      expect(info.keyType).toBe(row.keyType);
      expect(info.chain).toHaveLength(row.chainLength!);
      expect(info.chain[0]!.thumbprint).toBe(row.thumbprint);
      expect(result.value.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(result.value.chainPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const code = row.expect === 'refused' ? 'unsupported-algorithm' : row.expect;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(row.file);
    if (row.password !== '') expect(result.error.message).not.toContain(row.password);
  });

  it('explains why a PBMAC1 key under 20 octets is refused', async () => {
    const result = await parseCertificateFile(readFileSync(path.join(corpusDir, 'pbmac1-short-key-bypass.p12')), 'realpassword');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/PBMAC1.*1 octet.*20 octets/);
  });

  it('describes the protection of legacy and PBMAC1 files', async () => {
    const azure = await parseCertificateFile(readFileSync(path.join(corpusDir, 'windows-azure-tools-null-password.p12')), undefined);
    expect(azure.ok && azure.value.info.protection).toMatchObject({
      format: 'pkcs12',
      keyEncryption: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
      certificateEncryption: 'pbeWithSHAAnd40BitRC2-CBC',
      mac: 'HMAC-SHA1',
      macIterations: 1,
      weak: true,
    });
    const a3 = await parseCertificateFile(readFileSync(path.join(corpusDir, 'rfc9579-a3.p12')), '1234');
    expect(a3.ok && a3.value.info.protection).toMatchObject({
      keyEncryption: 'PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC',
      mac: 'PBMAC1/HMAC-SHA512',
      macIterations: 2048,
      weak: false,
      weakReasons: [],
    });
  });

  it('refuses a PBMAC1 file opened with a wrong password', async () => {
    const result = await parseCertificateFile(readFileSync(path.join(corpusDir, 'rfc9579-a1.p12')), '12345', { fileName: 'a1.p12' });
    expect(result).toEqual({ ok: false, error: { code: 'bad-password', message: 'The password is wrong for a1.p12.' } });
  });
});
