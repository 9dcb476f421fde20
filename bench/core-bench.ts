/**
 * Certificate core benchmark: median import time of a 2 KB OpenSSL 3 PFX through the certificate service
 * (parse + vault encryption + store write, keychain excluded: an in-memory secret store), and the time
 * to list 1,000 certificates. Run: `npx tsx bench/core-bench.ts` (part of `npm run bench`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../main/core/app/core';
import { MemorySecretStore } from '../main/core/vault/secret-store';

const IMPORTS = Number(process.env.IMPORTS ?? 60);
const LIST_SIZE = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'certgate-bench-'));
  try {
    // A pool of distinct certificates (distinct thumbprints), each a default OpenSSL 3 PFX.
    const pfxs: Buffer[] = [];
    const key = path.join(dir, 'k.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key], { stdio: 'ignore' });
    for (let i = 0; i < IMPORTS; i += 1) {
      const crt = path.join(dir, `c${i}.pem`);
      const pfx = path.join(dir, `c${i}.pfx`);
      execFileSync('openssl', ['req', '-x509', '-key', key, '-out', crt, '-days', '30', '-subj', `/CN=bench-${i}`], { stdio: 'ignore' });
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', pfx, '-passout', 'pass:bench'], { stdio: 'ignore' });
      pfxs.push(await readFile(pfx));
    }
    const core = await openCore({ dataDir: path.join(dir, 'data'), secretStore: new MemorySecretStore() });
    if (!core.ok) throw new Error(core.error.message);
    const ops = core.value.operations;
    const importMs: number[] = [];
    for (const pfx of pfxs) {
      const t0 = performance.now();
      const r = await ops['certificates.upload']({ data: pfx.toString('base64'), password: 'bench' });
      importMs.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error.message);
    }
    const parseMs: number[] = [];
    for (const pfx of pfxs.slice(0, 30)) {
      const t0 = performance.now();
      await ops['certificates.inspect']({ data: pfx.toString('base64'), password: 'bench' });
      parseMs.push(performance.now() - t0);
    }

    // 1,000 certificates: fill the store directly through the service with copies of one file's metadata.
    const store = JSON.parse(await readFile(path.join(dir, 'data', 'certgate.json'), 'utf8')) as { certificates: Record<string, unknown>[] };
    const template = store.certificates[0]!;
    const { writeFile } = await import('node:fs/promises');
    const many = Array.from({ length: LIST_SIZE }, (_, i) => ({ ...template, id: `cert-${i}`, thumbprint: i.toString(16).toUpperCase().padStart(40, '0') }));
    const apis = Array.from({ length: 200 }, (_, i) => ({
      id: `api-${i}`, displayName: `API ${i}`, path: `api-${i}`, serviceUrl: 'https://localhost:9443', description: '',
      backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] },
      createdAt: '', updatedAt: '',
      policyXml: `<policies>\n    <inbound>\n        <base />\n        <authentication-certificate certificate-id="cert-${i}" />\n    </inbound>\n</policies>\n`,
    }));
    const bigDir = path.join(dir, 'big');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(bigDir);
    await writeFile(path.join(bigDir, 'certgate.json'), JSON.stringify({ ...store, certificates: many, apis }));
    const big = await openCore({ dataDir: bigDir, secretStore: new MemorySecretStore() });
    if (!big.ok) throw new Error(big.error.message);
    const listMs: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      if (i % 2 === 1) await big.value.operations['settings.set']({ theme: i % 4 === 1 ? 'dark' : 'light' }); // a write between lists: no stale cache
      const t0 = performance.now();
      const r = await big.value.operations['certificates.list']({});
      listMs.push(performance.now() - t0);
      if (!r.ok || r.value.length !== LIST_SIZE) throw new Error('list failed');
    }
    const report = {
      pfxBytes: pfxs[0]!.length,
      importMedianMs: +median(importMs).toFixed(2),
      importP90Ms: +[...importMs].sort((a, b) => a - b)[Math.floor(importMs.length * 0.9)]!.toFixed(2),
      parseOnlyMedianMs: +median(parseMs).toFixed(2),
      list1000MedianMs: +median(listMs).toFixed(2),
      list1000FirstMs: +listMs[0]!.toFixed(2),
      targets: { importMedianMs: 50, list1000Ms: 20 },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
