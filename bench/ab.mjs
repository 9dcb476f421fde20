// bench/ab.mjs - side-by-side CPU per request of several proxies in ONE run, for comparing an idea against the
// undici floor (and nginx) on a noisy machine, where only ratios measured together mean anything. The shared
// harness (npm run bench) stays the measure of record; this is the quick A/B while working.
//
//   node bench/ab.mjs                                        # nginx, undici, serve (this tree)
//   node bench/ab.mjs --targets undici,serve@/work/main,serve --rounds 5 --duration 6
//
// Targets: nginx; undici (bench/undici-candidate.ts); serve (bench/serve-candidate.ts of this tree) or
// serve@DIR (of the tree at DIR, e.g. main, to compare before and after); a serve target may end with :ops=N to
// give its API N operations (CERTGATE_BENCH_OPERATIONS, issue 15), e.g. --targets nginx,serve,serve:ops=20, and
// with :node=FLAG (repeatable) run with that Node option, e.g. serve:node=--max-semi-space-size=16. Uses the harness's PKI
// (/tmp/bench/pki: run `npm run bench` once to make it), its back end and wrk check script, on ports of its
// own (28xxx), so it never disturbs a harness run. Pinned like the harness: wrk on CPU 0, the rest on CPU 1.
// CPU per request = (utime + stime of the target's process tree) / good responses, over the measured window.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared/bench');
const pki = '/tmp/bench/pki';
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const targets = opt('targets', 'nginx,undici,serve').split(',');
const rounds = Number(opt('rounds', 3));
const duration = Number(opt('duration', 8));
const warmup = Number(opt('warmup', 2));
const conns = Number(opt('conns', 32));
const TLS_PORT = 28443;
const PLAIN_PORT = 28080;
const backendUrl = `https://127.0.0.1:${TLS_PORT}`;
const needle = '"cn":"bench-client"';
const clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const children = [];

if (!fs.existsSync(path.join(pki, 'client.pfx'))) {
  console.error(`ab: no PKI in ${pki}; run npm run bench once to make it`);
  process.exit(2);
}

function start(name, cmd, cmdArgs, options = {}) {
  const log = fs.openSync(`/tmp/ab-${name.replace(/[^\w-]/g, '_')}.log`, 'w');
  const child = spawn('taskset', ['-c', '1', cmd, ...cmdArgs], { stdio: ['ignore', log, log], detached: true, ...options });
  children.push(child);
  return child;
}

function stopAll() {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function waitPort(port, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`a process for port ${port} exited (see /tmp/ab-*.log)`);
    const open = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open`);
}

function treePids(pid) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=']).toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of rows) if (pp === out[i]) out.push(p);
  return out;
}

/** [user, system] clock ticks of a process tree (every thread). */
function ticks(pids) {
  const t = [0, 0];
  for (const p of pids) {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      t[0] += Number(f[11]);
      t[1] += Number(f[12]);
    } catch {
      // exited
    }
  }
  return t;
}

function wrk(seconds, url) {
  const out = execFileSync('taskset', ['-c', '0', 'wrk', '-t1', `-c${conns}`, `-d${seconds}s`, '--timeout', '5s', '-s', path.join(shared, 'check.lua'), url, '--', needle], {
    timeout: (seconds + 20) * 1000,
  }).toString();
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
  return line ? JSON.parse(line.slice(8)) : null;
}

function nginxConf(port) {
  const dir = '/tmp/ab-nginx';
  fs.mkdirSync(`${dir}/tmp`, { recursive: true });
  const user = process.getuid?.() === 0 ? 'user www-data;' : '';
  fs.writeFileSync(
    `${dir}/nginx.conf`,
    `${user}
worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi; uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  keepalive_requests 1000000;
  upstream b { server 127.0.0.1:${TLS_PORT}; keepalive 64; keepalive_requests 1000000; keepalive_timeout 60s; }
  server { listen 127.0.0.1:${port};
    location / { proxy_pass https://b; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_ssl_certificate ${pki}/client.crt; proxy_ssl_certificate_key ${pki}/client.key;
      proxy_ssl_trusted_certificate ${pki}/ca.crt; proxy_ssl_verify on; proxy_ssl_name localhost;
      proxy_ssl_server_name on; proxy_ssl_protocols TLSv1.2 TLSv1.3; proxy_ssl_session_reuse on; } } }
`,
  );
  return ['nginx', ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`, '-g', 'daemon off;']];
}

async function startTarget(spec, port) {
  const env = { ...process.env, CANDIDATE_PORT: String(port), BENCH_PKI: pki, BENCH_BACKEND_URL: backendUrl, BENCH_PFX: `${pki}/client.pfx`, BENCH_PFX_PASS: 'bench-pass', BENCH_CA: `${pki}/ca.crt` };
  let child;
  let url = `http://127.0.0.1:${port}/api/`;
  if (spec === 'nginx') {
    const [cmd, a] = nginxConf(port);
    child = start(spec, cmd, a);
    url = `http://127.0.0.1:${port}/`;
  } else if (spec === 'undici') {
    child = start(spec, process.execPath, ['--import', 'tsx', 'bench/undici-candidate.ts'], { cwd: root, env });
  } else if (/^serve(@[^:]+)?(:ops=\d+|:node=[^:]+)*$/.test(spec)) {
    const [where, ...mods] = spec.split(':');
    const dir = where === 'serve' ? root : where.slice(6);
    env.CERTGATE_BENCH_OPERATIONS = mods.find((m) => m.startsWith('ops='))?.slice(4) ?? '0';
    const nodeArgs = mods.filter((m) => m.startsWith('node=')).map((m) => m.slice(5));
    env.CERTGATE_BENCH_RSS_LOG = `/tmp/ab-rss-${port}.jsonl`;
    child = start(spec, process.execPath, [...(process.env.AB_NODE_ARGS ?? '').split(' ').filter(Boolean), ...nodeArgs, '--import', 'tsx', 'bench/serve-candidate.ts'], { cwd: dir, env });
  } else throw new Error(`unknown target ${spec}`);
  await waitPort(port, child);
  return { spec, url, pid: child.pid, rows: [] };
}

const backend = start('backend', process.execPath, [path.join(shared, 'backend.mjs'), '--pki', pki, '--tls-port', String(TLS_PORT), '--plain-port', String(PLAIN_PORT)]);
await waitPort(PLAIN_PORT, backend);
const active = [];
for (const [i, spec] of targets.entries()) active.push(await startTarget(spec, 28090 + i));

for (let r = 1; r <= rounds; r++) {
  const order = r % 2 === 1 ? active : [...active].reverse();
  for (const t of order) {
    wrk(warmup, t.url);
    const pids = treePids(t.pid);
    const stat0 = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const t0 = ticks(pids);
    const res = wrk(duration, t.url);
    const t1 = ticks(pids);
    const used = t1[0] + t1[1] - t0[0] - t0[1];
    const sys = t1[1] - t0[1];
    const stat1 = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const busy = (s) => s.split(/\s+/).slice(1).map(Number);
    const [a, b] = [busy(stat0), busy(stat1)];
    const total = b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0);
    const idle = b[3] + b[4] - a[3] - a[4];
    const good = res?.check.good ?? 0;
    const row = { rps: res?.rps ?? 0, p99: (res?.lat_us.p99 ?? 0) / 1000, us: good ? (used * 1e6) / clkTck / good : NaN, sysPct: used ? (100 * sys) / used : NaN, bad: (res?.requests ?? 0) - good, busy: (100 * (total - idle)) / total };
    t.rows.push(row);
    console.log(`round ${r} ${t.spec.padEnd(22)} ${row.rps.toFixed(0).padStart(6)} req/s  p99 ${row.p99.toFixed(2).padStart(6)} ms  ${row.us.toFixed(1).padStart(6)} us CPU/req (sys ${row.sysPct.toFixed(0)}%)  bad ${row.bad}  machine busy ${row.busy.toFixed(0)}%`);
  }
}

const median = (xs) => {
  const v = [...xs].sort((x, y) => x - y);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const summary = active.map((t) => ({ spec: t.spec, us: median(t.rows.map((x) => x.us)), rps: median(t.rows.map((x) => x.rps)), p99: median(t.rows.map((x) => x.p99)) }));
const ref = (name) => summary.find((s) => s.spec === name);
console.log(`\nmedians over ${rounds} rounds x ${duration}s, ${conns} conns (load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
console.log('target                  us CPU/req   req/s    p99 ms   CPU vs nginx  CPU vs undici  rps vs nginx  p99 vs nginx');
for (const s of summary) {
  const r = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '-');
  console.log(
    `${s.spec.padEnd(22)} ${s.us.toFixed(1).padStart(10)} ${s.rps.toFixed(0).padStart(8)} ${s.p99.toFixed(2).padStart(8)} ${r(s.us, ref('nginx')?.us).padStart(13)} ${r(s.us, ref('undici')?.us).padStart(14)} ${r(s.rps, ref('nginx')?.rps).padStart(13)} ${r(s.p99, ref('nginx')?.p99).padStart(13)}`,
  );
}
process.exit(0);
