/**
 * The cost of one parse is bounded in all, not only per step (DESIGN.md "Certificates"): one total budget of
 * key-derivation rounds, checked before deriving anything where the file shows its cost; a parse stops when
 * its caller goes away; and `estimateCertificateFile` tells the cost from the structure alone.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ITERATIONS, estimateCertificateFile, parseCertificateFile } from '../../../../main/core/certificates/parse';
import { decode, editAuthSafe, encode, encryptedDataPbkdf2IterationsPath, integer, replace } from './der-edit';
import { exportPfx, makePki, openssl, tempDir } from './fixtures';

const PASSWORD = 'Budget-Pa55';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pfx: Buffer;
let encryptedKeyPem: string;
let certPem: string;

beforeAll(async () => {
  tmp = await tempDir();
  const pki = await makePki(tmp.dir);
  // OpenSSL 3 defaults: HMAC-SHA256 MAC, PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) certificates and key, 2048 each.
  pfx = await exportPfx(pki, 'client.pfx', PASSWORD);
  openssl(tmp.dir, ['pkcs8', '-topk8', '-in', 'leaf.key', '-v2', 'aes-256-cbc', '-iter', '4096', '-passout', `pass:${PASSWORD}`, '-out', 'enc.key']);
  encryptedKeyPem = (await pki.read('enc.key')).toString('utf8');
  certPem = (await pki.read('leaf.pem')).toString('utf8');
});

afterAll(async () => {
  await tmp?.cleanup();
});

/** The PFX with its MAC iteration count set (the MAC no longer matches: fine for what is tested here). */
function withMacIterations(file: Buffer, count: number): Buffer {
  const root = decode(file);
  replace(root, [2, 2], integer(count));
  return encode(root);
}

describe('total key-derivation budget', () => {
  it('refuses, before deriving anything, a file whose steps are each allowed but add up to too much', async () => {
    // MAC and encrypted certificates each at the per-step maximum: 20,002,048 rounds in all with the key.
    const heavy = editAuthSafe(withMacIterations(pfx, MAX_ITERATIONS), (authSafe) =>
      replace(authSafe, encryptedDataPbkdf2IterationsPath(authSafe), integer(MAX_ITERATIONS)),
    );
    const started = performance.now();
    const result = await parseCertificateFile(heavy, PASSWORD, { fileName: 'heavy.pfx' });
    // At 2 s per million rounds this file would take some 40 s; refused from its structure, it takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('too-expensive');
    expect(result.error.message).toContain('heavy.pfx');
    expect(result.error.message).toContain('20,002,048 key-derivation rounds in all');
  });

  it('still opens an everyday file, and a file just under the budget is not refused for its total', async () => {
    const everyday = await parseCertificateFile(pfx, PASSWORD);
    expect(everyday.ok).toBe(true);
    const estimate = estimateCertificateFile(withMacIterations(pfx, MAX_ITERATIONS));
    expect(estimate).toEqual({ ok: true, value: { format: 'pkcs12', derivations: 3, iterations: MAX_ITERATIONS + 4096 } });
  });
});

describe('cancellation', () => {
  it('a parse whose caller went away stops at once with cancelled', async () => {
    // Three million PKCS #12 KDF rounds for the MAC: seconds of work in paced slices.
    const slow = withMacIterations(pfx, 3_000_000);
    const controller = new AbortController();
    const started = performance.now();
    const parsing = parseCertificateFile(slow, PASSWORD, { fileName: 'slow.pfx', signal: controller.signal });
    await nextTurn();
    controller.abort();
    const result = await parsing;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.ok === false && result.error.code).toBe('cancelled');
    expect(result.ok === false && result.error.message).toContain('slow.pfx');
  });

  it('a signal already aborted derives nothing', async () => {
    const result = await parseCertificateFile(pfx, PASSWORD, { signal: AbortSignal.abort() });
    expect(result.ok === false && result.error.code).toBe('cancelled');
  });
});

describe('estimate', () => {
  it('counts the derivations of a PFX and their rounds, without the password', () => {
    expect(estimateCertificateFile(pfx)).toEqual({ ok: true, value: { format: 'pkcs12', derivations: 3, iterations: 3 * 2048 } });
    expect(estimateCertificateFile(withMacIterations(pfx, 5_000_000))).toEqual({
      ok: true,
      value: { format: 'pkcs12', derivations: 3, iterations: 5_000_000 + 2 * 2048 },
    });
  });

  it('is cheap: a 5,000,000-round file is estimated in a small fraction of what parsing it costs', async () => {
    const slow = withMacIterations(pfx, 5_000_000);
    const started = performance.now();
    for (let i = 0; i < 10; i += 1) expect(estimateCertificateFile(slow).ok).toBe(true);
    const estimateMs = (performance.now() - started) / 10;
    // The parse itself, cancelled after 200 ms of deriving (it would need seconds).
    const controller = new AbortController();
    const parsing = parseCertificateFile(slow, PASSWORD, { signal: controller.signal });
    const parseStarted = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect((await parsing).ok).toBe(false);
    expect(estimateMs).toBeLessThan((performance.now() - parseStarted) / 10);
  });

  it('counts an encrypted PEM key, and says nothing of files it cannot read', () => {
    expect(estimateCertificateFile(Buffer.from(certPem + encryptedKeyPem))).toEqual({ ok: true, value: { format: 'pem', derivations: 1, iterations: 4096 } });
    expect(estimateCertificateFile(Buffer.from(certPem))).toEqual({ ok: true, value: { format: 'pem', derivations: 0, iterations: 0 } });
    expect(estimateCertificateFile(Buffer.from('random bytes, not a certificate'))).toEqual({ ok: true, value: { format: 'unknown', derivations: 0, iterations: 0 } });
  });

  it('refuses what the parse would refuse from the structure: iteration counts over the limit, oversized files', () => {
    const refused = estimateCertificateFile(withMacIterations(pfx, MAX_ITERATIONS + 1), { fileName: 'huge.pfx' });
    expect(refused.ok === false && refused.error.code).toBe('too-expensive');
    const large = estimateCertificateFile(Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(large.ok === false && large.error.code).toBe('too-large');
  });
});
