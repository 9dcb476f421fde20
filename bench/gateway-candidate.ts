/**
 * Benchmark candidate: the CertGate gateway alone, configured straight from the harness's PKI (no store, no
 * vault), in front of the harness's mTLS back end. Started by /work/shared/bench/run.sh through bench/run.mjs:
 *
 *   node --import tsx bench/gateway-candidate.ts
 *
 * Env: BENCH_PKI (client.crt, client.key, ca.crt), BENCH_BACKEND_URL, CANDIDATE_PORT (default 18090),
 * CANDIDATE_PATH (default "api"), CERTGATE_BENCH_RSS_LOG (JSON lines of memory and counters, one a second),
 * CERTGATE_TRAFFIC_LOG_SIZE (default 1000, as in the app).
 */
import { X509Certificate } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Gateway } from '../main/core/gateway/gateway';
import type { GatewayConfig } from '../main/core/gateway/types';

const pki = process.env.BENCH_PKI ?? '/tmp/bench/pki';
const backendUrl = process.env.BENCH_BACKEND_URL ?? 'https://127.0.0.1:18443';
const port = Number(process.env.CANDIDATE_PORT ?? 18090);
const routePath = process.env.CANDIDATE_PATH ?? 'api';
const rssLog = process.env.CERTGATE_BENCH_RSS_LOG ?? '/tmp/bench/certgate-rss.jsonl';

const certPem = readFileSync(path.join(pki, 'client.crt'), 'utf8');
const config: GatewayConfig = {
  routes: [
    {
      apiId: 'bench',
      path: routePath,
      serviceUrl: backendUrl,
      tls: { validateCertificateChain: true, validateCertificateName: true, caPems: [readFileSync(path.join(pki, 'ca.crt'), 'utf8')] },
      clientCertificate: {
        id: 'bench-client',
        thumbprint: new X509Certificate(certPem).fingerprint.replace(/:/g, ''),
        keyPem: readFileSync(path.join(pki, 'client.key'), 'utf8'),
        certPem,
      },
      basicAuth: null,
      inboundHeaders: [],
      outboundHeaders: [],
    },
  ],
};

const gateway = new Gateway({ port, trafficLogSize: Number(process.env.CERTGATE_TRAFFIC_LOG_SIZE ?? 1000) });
gateway.apply(config);
const started = await gateway.start();
if (!started.ok) {
  console.error(`gateway-candidate: ${started.error.message}`);
  process.exit(1);
}
console.log(`gateway-candidate pid=${process.pid} ${started.value.url}/${routePath}/ -> ${backendUrl}`);

// Memory and counters once a second, so flatness across rounds can be read off afterwards.
writeFileSync(rssLog, '');
const t0 = Date.now();
const sample = setInterval(() => {
  const m = process.memoryUsage();
  const s = gateway.status().counters;
  const c = gateway.connectionStats();
  appendFileSync(
    rssLog,
    `${JSON.stringify({ t: Math.round((Date.now() - t0) / 1000), rss: m.rss, heapUsed: m.heapUsed, requests: s.requests, errors: s.errors, handshakes: s.backendHandshakes, sockets: c.backendSockets })}\n`,
  );
}, 1000);

async function shutdown(signal: string): Promise<void> {
  clearInterval(sample);
  const s = gateway.status().counters;
  console.log(`gateway-candidate ${signal}: requests=${s.requests} errors=${s.errors} backendHandshakes=${s.backendHandshakes}`);
  await gateway.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
