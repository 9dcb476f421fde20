// bench/run.mjs - `npm run bench`: runs the shared proxy benchmark (../shared/bench/run.sh) with the CertGate
// gateway as its candidate, then prints the candidate's ratios against nginx and its memory per round.
//
//   npm run bench                                   # the certificate core bench, then the proxy harness with the
//                                                   # whole core as candidate (ROUNDS=3 DURATION=10 by default)
//   node bench/run.mjs --candidate gateway          # the Gateway class alone, configured from PEM files
//   node bench/run.mjs --candidate httpproxy3       # the http-proxy-3 reference candidate instead
//   node bench/run.mjs --candidate undici           # the thinnest undici proxy (the floor for the gateway)
//   node bench/run.mjs --no-core                    # skip the certificate core bench
//   node bench/run.mjs --no-cli                     # skip the CLI cold-start bench (bench/cli-bench.mjs)
//   node bench/run.mjs --report-only                # print the ratios of the last run again
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const harness = path.resolve(root, '../shared/bench/run.sh');
const resultFile = '/tmp/bench/result.json';
const rssLog = '/tmp/bench/certgate-rss.jsonl';
const args = process.argv.slice(2);
const candidate = args.includes('--candidate') ? args[args.indexOf('--candidate') + 1] : 'serve';
const scripts = { serve: 'bench/serve-candidate.ts', gateway: 'bench/gateway-candidate.ts', httpproxy3: 'bench/httpproxy3-candidate.ts', undici: 'bench/undici-candidate.ts' };
if (!scripts[candidate]) {
  console.error(`unknown candidate ${candidate}: use ${Object.keys(scripts).join(' or ')}`);
  process.exit(2);
}
const name = candidate === 'serve' ? 'certgate' : candidate === 'gateway' ? 'certgate_gateway' : candidate === 'undici' ? 'undici_minimal' : candidate;

if (!args.includes('--report-only') && !args.includes('--no-core')) {
  // Import time per file and list time with 1,000 certificates (issue: certificate core).
  console.log('Certificate core (npx tsx bench/core-bench.ts):');
  const core = spawnSync(process.execPath, ['--import', 'tsx', 'bench/core-bench.ts'], { cwd: root, stdio: 'inherit' });
  if (core.status !== 0) process.exit(core.status ?? 1);
}

if (!args.includes('--report-only') && !args.includes('--no-cli')) {
  // Cold start of the built certgate against node -e 0 (issue: built CLI): medians and ratios.
  console.log('\nCLI cold start (node bench/cli-bench.mjs):');
  const cli = spawnSync(process.execPath, ['bench/cli-bench.mjs'], { cwd: root, stdio: 'inherit' });
  if (cli.status !== 0) process.exit(cli.status ?? 1);
}

if (!args.includes('--report-only')) {
  if (!fs.existsSync(harness)) {
    console.error(`bench: the harness is not at ${harness}`);
    process.exit(2);
  }
  const port = process.env.CANDIDATE_PORT ?? '18090';
  const env = {
    ...process.env,
    ROUNDS: process.env.ROUNDS ?? '3',
    DURATION: process.env.DURATION ?? '10',
    CANDIDATE_NAME: name,
    CANDIDATE_URL: `http://127.0.0.1:${port}/api/`,
    // exec: the harness measures the CPU of this process tree, so no shell stays in between.
    CANDIDATE_START: `cd '${root}' && CANDIDATE_PORT=${port} CERTGATE_BENCH_RSS_LOG=${rssLog} exec node --import tsx ${scripts[candidate]}`,
  };
  fs.rmSync(rssLog, { force: true });
  const run = spawnSync('bash', [harness], { stdio: 'inherit', env });
  if (run.status !== 0) {
    console.error(`bench: the harness exited with ${run.status ?? run.signal}`);
    process.exit(run.status ?? 1);
  }
}

const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
const t = result.targets;
const ngx = t.B_nginx;
const rows = Object.values(t).filter((x) => x.kind === 'proxy' && x.name !== 'B_nginx');
const fmt = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '-' : Number(v).toFixed(d));
const ratio = (a, b) => (a && b ? a / b : null);

console.log(`\nCertGate benchmark (run ${result.meta.run_id}, ${result.meta.rounds} rounds x ${result.meta.duration_s}s, ${result.meta.connections} conns, pin=${result.meta.pin})`);
console.log(`nginx: ${fmt(ngx?.rps_median, 0)} req/s, p99 ${fmt(ngx?.p99_ms_median, 3)} ms, ${fmt(ngx?.proxy_us_per_req_median, 1)} us CPU/req`);
console.log('target               CPU/req vs nginx  req/s vs nginx  p99 vs nginx  HS warm/measured  verified');
for (const x of rows) {
  console.log(
    [
      x.name.padEnd(20),
      `${fmt(x.proxy_cpu_ratio_vs_nginx)}x (target <= 3)`.padStart(17),
      `${fmt(x.ratio_vs_nginx)}x`.padStart(15),
      `${fmt(ratio(x.p99_ms_median, ngx?.p99_ms_median))}x`.padStart(13),
      `${x.handshakes_warmup_total}/${x.handshakes_measured_total}`.padStart(17),
      (x.verified ? 'yes' : 'NO').padStart(9),
    ].join(' '),
  );
}

// Memory: the candidate logs RSS once a second. Its busy seconds (request count rising) are its rounds:
// each round is WARMUP + DURATION seconds of load, and two rounds may touch (last of one, first of the next).
if (fs.existsSync(rssLog)) {
  const samples = fs.readFileSync(rssLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const roundSeconds = (result.meta.warmup_s ?? 2) + (result.meta.duration_s ?? 10);
  const busy = samples.filter((x, i) => i > 0 && x.requests - samples[i - 1].requests > 100);
  const ends = [];
  let run = [];
  const flush = () => {
    const n = Math.max(1, Math.round(run.length / roundSeconds));
    for (let k = 1; k <= n; k++) ends.push(run[Math.min(run.length, Math.round((k * run.length) / n)) - 1]);
    run = [];
  };
  for (const x of busy) {
    if (run.length && x.t - run.at(-1).t > 2) flush();
    run.push(x);
  }
  if (run.length) flush();
  const mb = (b) => (b / 1048576).toFixed(1);
  if (ends.length) {
    console.log(`memory at the end of each round: RSS ${ends.map((x) => mb(x.rss)).join(' / ')} MB, heap used ${ends.map((x) => mb(x.heapUsed)).join(' / ')} MB`);
    console.log(`memory idle before load: RSS ${mb(samples[0].rss)} MB; peak under load: RSS ${mb(Math.max(...busy.map((x) => x.rss)))} MB`);
  }
  const last = samples.at(-1);
  if (last) console.log(`candidate totals: requests=${last.requests} errors=${last.errors} back-end handshakes=${last.handshakes}`);
}
