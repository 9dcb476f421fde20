/**
 * `certgate cert list` as a person reads it: within 100 columns, thumbprints whole (copy and paste works),
 * the console's expiry words, long subjects shortened with "…" (whole with --wide), emphasis only on a
 * terminal, and nothing from a certificate that lies can drive the terminal. Run through the built CLI on
 * a data folder filled with real uploads (listing needs no keychain).
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForPeople } from '../../../main/cli/commands/cert';
import { displayWidth, textStyle } from '../../../main/cli/text';
import { openCore } from '../../../main/core/app/core';
import { MemorySecretStore } from '../../../main/core/vault/secret-store';
import type { CertificateWithUsage } from '../../../preload/contract';
import { certgate } from '../../helpers/cli';
import { thumbprintOf } from '../../helpers/openssl';
import { tempDir } from '../../helpers/temp-dir';

const ESC = '\u001b';
const LONG_SUBJECT = '/C=NL/L=Amsterdam/O=Contoso Financial Services International Holding B.V./OU=Payments Platform Engineering/CN=payments-gateway-client.internal.contoso.example';
const SUBJECTS: Record<string, string> = {
  short: '/CN=client1',
  long: LONG_SUBJECT,
  cjk: '/O=東京株式会社テスト部門の長い名前の会社/CN=証明書クライアント',
  hostile: `/CN=evil${ESC}[2J${ESC}[31mred/O=lies`,
};

let dir: Awaited<ReturnType<typeof tempDir>>;
let data: string;
const thumbprints: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir();
  data = path.join(dir.path, 'data');
  const core = await openCore({ dataDir: data, secretStore: new MemorySecretStore() });
  if (!core.ok) throw new Error(core.error.message);
  for (const [id, subject] of Object.entries(SUBJECTS)) {
    const key = path.join(dir.path, `${id}.key`);
    const crt = path.join(dir.path, `${id}.crt`);
    const pfx = path.join(dir.path, `${id}.pfx`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-utf8', '-keyout', key, '-out', crt, '-days', '45', '-subj', subject], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', pfx, '-passout', 'pass:pw'], { stdio: 'ignore' });
    thumbprints[id] = thumbprintOf(await readFile(crt, 'utf8'));
    const up = await core.value.operations['certificates.upload']({ id: id === 'long' ? 'payments-client-prod' : id, data: (await readFile(pfx)).toString('base64'), password: 'pw' });
    if (!up.ok) throw new Error(up.error.message);
  }
  await core.value.flush();
}, 60_000);
afterAll(async () => dir.remove());

describe('certgate cert list (subprocess)', () => {
  it('fits 100 columns, prints every thumbprint whole, shortens long subjects with … and says how to see them', async () => {
    const r = await certgate(['cert', 'list', '--data-dir', data]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + Object.keys(SUBJECTS).length);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(100);
    for (const t of Object.values(thumbprints)) expect(r.stdout).toMatch(new RegExp(`(^|\\s)${t}(\\s|$)`, 'm'));
    expect(r.stdout).not.toMatch(/[0-9A-F]{36} [0-9A-F]{4}/);
    expect(r.stdout).toContain('…');
    expect(r.stdout).not.toContain('payments-gateway-client.internal.contoso.example');
    expect(r.stdout).toContain('payments-client-prod');
    expect(r.stdout).toMatch(/expires in 44 days/);
    expect(r.stderr).toContain('certgate cert list --wide');
  });

  it('--wide prints every subject whole, with the expiry date', async () => {
    const r = await certgate(['cert', 'list', '--wide', '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CN=payments-gateway-client.internal.contoso.example');
    expect(r.stdout).toContain('O=東京株式会社テスト部門の長い名前の会社');
    expect(r.stdout).toMatch(/\d{4}-\d{2}-\d{2} \(expires in 44 days\)/);
    expect(r.stderr).toBe('');
  });

  it('through a pipe: no escape sequence at all, whatever the subjects hold', async () => {
    for (const args of [['cert', 'list'], ['cert', 'list', '--wide'], ['cert', 'show', 'hostile']]) {
      const r = await certgate([...args, '--data-dir', data]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
    const shown = await certgate(['cert', 'show', 'hostile', '--data-dir', data]);
    // Shown escaped (the parser's \1B, or the CLI's \x1b for anything that gets past it), never raw.
    expect(shown.stdout).toMatch(/\\(1B|x1b)\[2J/);
  });

  it('FORCE_COLOR emphasises the last four characters only; NO_COLOR wins', async () => {
    const colour = await certgate(['cert', 'list', '--data-dir', data], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    const t = thumbprints.short ?? '';
    expect(colour.stdout).toContain(`${t.slice(0, -4)}${ESC}[1;36m${t.slice(-4)}${ESC}[22;39m`);
    // The only escape sequences are the emphasis: the hostile subject is still neutralised.
    expect(colour.stdout.replace(/\u001b\[(1;36|22;39)m/g, '')).not.toContain(ESC);
    const plain = await certgate(['cert', 'list', '--data-dir', data], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain(ESC);
  });

  it('--json is unchanged: whole values, no emphasis, no shortening', async () => {
    const r = await certgate(['cert', 'list', '--json', '--data-dir', data], { env: { FORCE_COLOR: '1' } });
    const list = JSON.parse(r.stdout) as CertificateWithUsage[];
    expect(list.map((c) => c.thumbprint).sort()).toEqual(Object.values(thumbprints).sort());
    expect(list.find((c) => c.id === 'payments-client-prod')?.subject).toContain('payments-gateway-client.internal.contoso.example');
    expect(r.stderr).toBe('');
  });
});

describe('listForPeople', () => {
  const base = { thumbprint: 'A'.repeat(36) + '8ABB', notAfter: '2026-04-01T00:00:00Z', usedBy: [] } as unknown as CertificateWithUsage;
  const now = new Date('2026-03-01T00:00:00Z');

  it('keeps short tables whole and says nothing was shortened', () => {
    const list = listForPeople([{ ...base, id: 'c1', subject: 'CN=c1' }], textStyle({}, {}), false, now);
    expect(list.shortened).toBe(false);
    expect(list.text.split('\n')[1]).toBe(`c1  CN=c1    ${'A'.repeat(36)}8ABB  expires in 31 days  -`);
  });

  it('an 80-character id and a 300-character subject still fit 100 columns', () => {
    const usedBy = Array.from({ length: 12 }, (_, i) => ({ apiId: `a${i}`, apiName: `Orders API number ${i}`, reference: 'certificate-id' }));
    const list = listForPeople([{ ...base, id: 'i'.repeat(80), subject: `CN=${'s'.repeat(300)}`, usedBy } as CertificateWithUsage], textStyle({}, {}), false, now);
    expect(list.shortened).toBe(true);
    for (const line of list.text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
    expect(list.text).toContain(`${'A'.repeat(36)}8ABB`);
  });
});
