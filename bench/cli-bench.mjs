// bench/cli-bench.mjs - cold start of the built `certgate` command against bare Node (part of `npm run bench`).
//
//   node bench/cli-bench.mjs              # builds the CLI, seeds a data folder (50 certificates, 10 APIs),
//                                         # then RUNS rounds (default 21) of: node -e 0, certgate --help,
//                                         # certgate cert list; medians, and each command's ratio to node -e 0
//   node bench/cli-bench.mjs --runs 5     # fewer rounds
//   node bench/cli-bench.mjs --check      # exit 1 when a target is missed
//
// Targets (issue 12): certgate --help within 5x, certgate cert list within 8x of node -e 0 (medians). Each
// round runs the commands in turn, so a ratio is taken within one round (the machine's speed drifts); the
// figure quoted is the median of those ratios. Wall-clock time of the whole process, from spawn to exit; and
// where /usr/bin/time exists, its CPU time (user + sys), steadier than wall time on a busy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build-cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : (process.env.RUNS ?? 21));
const bin = path.join(root, 'bin/certgate.mjs');

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
let cpuFile = '';

/** One timed run of a command; throws when it fails, so a broken CLI never benchmarks as fast. */
function timed(argv, env) {
  const [command, args] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...argv]] : [process.execPath, argv];
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${run.status}:\n${run.stderr}`);
  const cpuMs = TIME ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((sum, s) => sum + Number(s) * 1000, 0) : NaN;
  return { ms, cpuMs, stdout: run.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'certgate-cli-bench-'));
cpuFile = path.join(dir, 'cpu.txt');
try {
  await buildCli({ quiet: true });
  const dataDir = path.join(dir, 'data');
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli-seed.ts', dataDir], { cwd: root, stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('bench/cli-seed.ts failed');
  // No D-Bus session, no keychain: listing never needs it, and the bench must not depend on one.
  const env = { ...process.env, NO_COLOR: '1', CERTGATE_DATA_DIR: dataDir };
  const commands = [
    { name: 'node -e 0', argv: ['-e', '0'] },
    { name: 'certgate --help', argv: [bin, '--help'], target: 5 },
    { name: 'certgate cert list', argv: [bin, 'cert', 'list'], target: 8, check: (out) => out.split('\n').length > 50 },
  ];
  for (const c of commands) {
    const warm = timed(c.argv, env); // warm-up: the file cache, not counted
    if (c.check && !c.check(warm.stdout)) throw new Error(`${c.name} printed something unexpected:\n${warm.stdout}`);
    c.ms = [];
    c.cpu = [];
  }
  for (let round = 0; round < runs; round += 1) {
    for (const c of commands) {
      const r = timed(c.argv, env);
      c.ms.push(r.ms);
      c.cpu.push(r.cpuMs);
    }
  }
  const base = commands[0];
  let missed = 0;
  console.log(`CLI cold start (${runs} rounds, built CLI, ${process.version}; wall time of the whole process):`);
  for (const c of commands) {
    const ratios = c.ms.map((ms, i) => ms / base.ms[i]);
    const ratio = median(ratios);
    const verdict = c.target === undefined ? '' : ratio <= c.target ? `  (target <= ${c.target}x: met)` : `  (target <= ${c.target}x: MISSED)`;
    if (c.target !== undefined && ratio > c.target) missed += 1;
    console.log(`  ${c.name.padEnd(20)} median ${median(c.ms).toFixed(1).padStart(7)} ms  min ${Math.min(...c.ms).toFixed(1).padStart(7)} ms  ${c === base ? '' : `${ratio.toFixed(2)}x node -e 0`}${verdict}`);
  }
  if (TIME) {
    console.log('  CPU time (user + sys, /usr/bin/time):');
    for (const c of commands) {
      const ratio = median(c.cpu.map((ms, i) => ms / base.cpu[i]));
      console.log(`  ${c.name.padEnd(20)} median ${median(c.cpu).toFixed(0).padStart(7)} ms  ${c === base ? '' : `${ratio.toFixed(2)}x node -e 0`}`);
    }
  }
  if (missed > 0 && args.includes('--check')) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
