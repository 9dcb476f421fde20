/**
 * The process stays responsive while expensive files are parsed: a ticker on the event loop never
 * waits more than ~100 ms, even for a million PBKDF2 / PKCS #12 KDF iterations.
 *
 * On a loaded machine the OS may deschedule the whole process for 100 ms or more, which no code can
 * prevent; such noise is random, while real blocking repeats on every run. So each check takes the best
 * of up to three runs, and a control run proves the ticker does catch a synchronous derivation.
 */
import { pbkdf2Sync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateFile } from '../../../../main/core/certificates/parse';
import { exportPfx, makePki, openssl, tempDir, type Pki } from './fixtures';

const PASSWORD = 'slow-but-fine';
let tmp: Awaited<ReturnType<typeof tempDir>>;
let pki: Pki;

beforeAll(async () => {
  tmp = await tempDir();
  pki = await makePki(tmp.dir);
});

afterAll(async () => {
  await tmp?.cleanup();
});

/** Run `work` with a 2 ms ticker on the event loop; report the longest gap between ticks. */
async function withTicker<T>(work: () => Promise<T>): Promise<{ readonly result: T; readonly maxGapMs: number; readonly ticks: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  let ticks = 0;
  const tick = () => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  };
  const timer = setInterval(tick, 2);
  try {
    const result = await work();
    tick();
    return { result, maxGapMs, ticks };
  } finally {
    clearInterval(timer);
  }
}

const LIMIT_MS = 100;

/** The smallest max gap over up to three runs of `work` (stopping at the first run under the limit). */
async function bestMaxGap<T>(work: () => Promise<T>, check: (result: T) => void): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < 3 && best >= LIMIT_MS; run++) {
    const { result, maxGapMs, ticks } = await withTicker(work);
    check(result);
    expect(ticks).toBeGreaterThan(5);
    best = Math.min(best, maxGapMs);
  }
  return best;
}

describe('responsiveness', () => {
  it('has a ticker that catches a synchronous 1,000,000-iteration PBKDF2 (control)', async () => {
    const { maxGapMs } = await withTicker(async () => pbkdf2Sync('password', 'salt', 1_000_000, 32, 'sha256'));
    expect(maxGapMs).toBeGreaterThan(LIMIT_MS);
  });

  it('keeps the event loop free while a 1,000,000-iteration PFX (PBKDF2 + PKCS #12 KDF MAC) is parsed', async () => {
    const file = await exportPfx(pki, 'slow.pfx', PASSWORD, ['-iter', '1000000']);
    const gap = await bestMaxGap(
      () => parseCertificateFile(file, PASSWORD),
      (result) => {
        if (!result.ok) throw new Error(result.error.message);
        expect(result.value.info.protection).toMatchObject({ iterations: 1_000_000, macIterations: 1_000_000 });
      },
    );
    expect(gap).toBeLessThan(LIMIT_MS);
  }, 120_000);

  it('keeps the event loop free for a -legacy file (every derivation in the PKCS #12 KDF) and a wrong password', async () => {
    const file = await exportPfx(pki, 'slow-legacy.pfx', PASSWORD, ['-legacy', '-iter', '100000']);
    for (const password of [PASSWORD, 'wrong']) {
      const gap = await bestMaxGap(
        () => parseCertificateFile(file, password),
        (result) => expect(result.ok || result.error.code).toBe(password === PASSWORD ? true : 'bad-password'),
      );
      expect(gap).toBeLessThan(LIMIT_MS);
    }
  }, 120_000);

  it('keeps the event loop free while a 1,000,000-iteration encrypted PEM key is decrypted', async () => {
    openssl(tmp.dir, ['pkcs8', '-topk8', '-in', 'leaf.key', '-passout', `pass:${PASSWORD}`, '-iter', '1000000', '-out', 'slow.key']);
    const file = Buffer.concat([await pki.read('leaf.pem'), await pki.read('slow.key')]);
    const gap = await bestMaxGap(
      () => parseCertificateFile(file, PASSWORD),
      (result) => expect(result.ok).toBe(true),
    );
    expect(gap).toBeLessThan(LIMIT_MS);
  }, 120_000);
});
