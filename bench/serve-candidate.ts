/**
 * Benchmark candidate: CertGate as `certgate serve` runs it, through the whole core. The harness's client.pfx
 * is imported by CertGate's own parser into the vault, an API is created trusting the harness's CA, its
 * security set to "Mutual certificates", and the gateway runs on the configuration the core builds from the
 * store and vault. The keychain is an in-memory secret store: the benchmark measures the gateway, not the
 * OS keychain. Started by bench/run.mjs (`--candidate serve`, the default of `npm run bench`).
 *
 * Env: BENCH_PFX, BENCH_PFX_PASS, BENCH_CA, BENCH_BACKEND_URL, CANDIDATE_PORT (default 18090),
 * CERTGATE_BENCH_RSS_LOG (JSON lines of memory and counters, one a second), CERTGATE_BENCH_OPERATIONS (see below).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Gateway } from '../main/core/gateway/gateway';
import { openInstance } from '../main/core/app/instance';
import { MemorySecretStore } from '../main/core/vault/secret-store';

const port = Number(process.env.CANDIDATE_PORT ?? 18090);
const rssLog = process.env.CERTGATE_BENCH_RSS_LOG ?? '/tmp/bench/certgate-rss.jsonl';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certgate-bench-serve-'));

const gateway = new Gateway({ port });
const instance = await openInstance({ dataDir, secretStore: new MemorySecretStore(), gateway: { driver: gateway }, admin: false });
if (!instance.ok) throw new Error(instance.error.message);
const started = await gateway.start();
if (!started.ok) throw new Error(started.error.message);
const ops = instance.value.operations;
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const pfx = readFileSync(process.env.BENCH_PFX ?? '/tmp/bench/pki/client.pfx');
const { certificate } = must(await ops['certificates.upload']({ data: pfx.toString('base64'), password: process.env.BENCH_PFX_PASS ?? 'bench-pass', fileName: 'client.pfx' }));
const ca = must(await ops['caCertificates.upload']({ pem: readFileSync(process.env.BENCH_CA ?? '/tmp/bench/pki/ca.crt', 'utf8') }));
must(
  await ops['apis.create']({
    id: 'bench',
    displayName: 'Bench',
    path: 'api',
    serviceUrl: process.env.BENCH_BACKEND_URL ?? 'https://127.0.0.1:18443',
    backendTls: { trustedCaCertificateIds: [ca.id] },
  }),
);
must(await ops['security.set']({ apiId: 'bench', security: { type: 'certificate', certificateId: certificate.id } }));
// Issue 15: CERTGATE_BENCH_OPERATIONS=N gives the API N operations (N-1 literal templates that never match the
// harness's paths, then a `GET /{*rest}` last), so the same run shape measures the route table's cost per call.
const operationCount = Number(process.env.CERTGATE_BENCH_OPERATIONS ?? 0);
for (let i = 0; i < operationCount; i++) {
  const urlTemplate = i === operationCount - 1 ? '/{*rest}' : `/resource${i}/{id}`;
  must(await ops['operations.create']({ apiId: 'bench', id: `op${i}`, displayName: `Operation ${i}`, method: i % 2 === 0 || i === operationCount - 1 ? 'GET' : 'POST', urlTemplate }));
}
console.log(`serve-candidate pid=${process.pid} ${started.value.url}/api/ presenting ${certificate.id} (${certificate.thumbprint})`);

writeFileSync(rssLog, '');
const t0 = Date.now();
const sample = setInterval(() => {
  const m = process.memoryUsage();
  const s = gateway.status().counters;
  appendFileSync(rssLog, `${JSON.stringify({ t: Math.round((Date.now() - t0) / 1000), rss: m.rss, heapUsed: m.heapUsed, requests: s.requests, errors: s.errors, handshakes: s.backendHandshakes })}\n`);
}, 1000);

async function shutdown(signal: string): Promise<void> {
  clearInterval(sample);
  const s = gateway.status().counters;
  console.log(`serve-candidate ${signal}: requests=${s.requests} errors=${s.errors} backendHandshakes=${s.backendHandshakes}`);
  if (instance.ok) await instance.value.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
