/**
 * Vitest global setup: the CLI tests run `certgate` as a user does, through bin/certgate.mjs and the built
 * out/cli. Build it once before the run when it is missing or older than the sources, so a test never runs
 * yesterday's CLI (CI runs `npm run build` first; then this is a no-op).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildCli, CLI_ENTRY } from '../../scripts/build-cli.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['main/cli', 'main/core', 'preload/contract', 'scripts/build-cli.mjs', 'package.json'];

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}

/** Whether out/cli is missing or older than any source it is built from. */
export function cliBuildIsStale(): boolean {
  if (!existsSync(CLI_ENTRY)) return true;
  const built = statSync(CLI_ENTRY).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built);
}

const BUILT = Symbol.for('certgate.cli-build-setup');

/** Build the CLI when stale; once per run (each test project calls this, possibly at the same time). */
export function setup(): Promise<void> {
  const memo = globalThis as { [BUILT]?: Promise<void> };
  memo[BUILT] ??= cliBuildIsStale() ? buildCli({ quiet: true }).then(() => undefined) : Promise.resolve();
  return memo[BUILT];
}
