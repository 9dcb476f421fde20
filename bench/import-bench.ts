/**
 * Import benchmark: the median time parseCertificateFile takes for a small (about 2 KB) PFX made with
 * OpenSSL 3 defaults (PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, 2,048 iterations, HMAC-SHA256 MAC).
 *
 *   npx tsx bench/import-bench.ts [runs=50]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCertificateFile } from '../main/core/certificates/parse';

const PASSWORD = 'bench-password';

async function makePfx(dir: string): Promise<Buffer> {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '365', '-subj', '/CN=bench']);
  run(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-passout', `pass:${PASSWORD}`, '-out', 'bench.pfx']);
  return readFile(path.join(dir, 'bench.pfx'));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 50);
  const dir = await mkdtemp(path.join(tmpdir(), 'certgate-bench-'));
  try {
    const pfx = await makePfx(dir);
    for (let i = 0; i < 5; i++) await parseCertificateFile(pfx, PASSWORD); // warm-up (JIT, lazy loads)
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = await parseCertificateFile(pfx, PASSWORD);
      times.push(performance.now() - started);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    }
    times.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`PFX: ${pfx.length} bytes (OpenSSL 3 defaults, RSA 2048), ${runs} runs`);
    console.log(`median ${fmt(percentile(times, 0.5))}  p90 ${fmt(percentile(times, 0.9))}  min ${fmt(times[0]!)}  max ${fmt(times[times.length - 1]!)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
