/**
 * What the e2e files share: building the renderer when stale, starting `certgate` commands (serve inside a
 * private D-Bus session and keyring when there is none) and stopping them by process group. Each test file
 * runs in its own worker, so `children` and `folders` are that file's own; its afterAll stops and removes them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../helpers/chromium';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin/certgate.mjs');
const RENDERER_OUT = path.join(ROOT, 'out/renderer/index.html');

/** Children started by startCli, and temporary folders to remove: the test file's afterAll cleans both. */
export const children: ChildProcess[] = [];
export const folders: string[] = [];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Build the renderer when out/renderer is missing or older than its sources. Vitest sets NODE_ENV=test, which
 * a child `vite build` would inherit and turn into React's development build: production is asked for.
 */
export function ensureRendererBuilt(): void {
  if (existsSync(RENDERER_OUT) && statSync(RENDERER_OUT).mtimeMs >= newestMtime(path.join(ROOT, 'renderer'))) return;
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--mode', 'production'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`The renderer build failed:\n${build.stdout}\n${build.stderr}`);
}

/**
 * `certgate serve` keeps keys in the OS keychain. Inside a D-Bus session (CI) use it; otherwise, when
 * gnome-keyring is installed, give the server its own session and a throwaway unlocked keyring.
 */
function keychainWrapper(args: readonly string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const direct = { command: process.execPath, args: [CLI, ...args], env: process.env };
  if (process.env.DBUS_SESSION_BUS_ADDRESS || !existsSync('/usr/bin/dbus-run-session') || !existsSync('/usr/bin/gnome-keyring-daemon')) return direct;
  const home = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-home-'));
  folders.push(home);
  const script = 'printf e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"';
  return { command: 'dbus-run-session', args: ['--', 'sh', '-c', script, process.execPath, CLI, ...args], env: { ...process.env, HOME: home } };
}

/** Start a `certgate` command and wait for stdout lines matching each pattern; returns their first groups. */
export async function startCli(args: readonly string[], patterns: readonly RegExp[]): Promise<string[]> {
  const run = args[0] === 'serve' ? keychainWrapper(args) : { command: process.execPath, args: [CLI, ...args], env: process.env };
  // Its own process group, so that cleanup ends the server and anything its wrapper started, by group id.
  const child = spawn(run.command, run.args, { cwd: ROOT, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`certgate ${args.join(' ')} printed no ready line in 60 s:\n${output}`)), 60_000);
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      const found = patterns.map((p) => p.exec(output)?.[1]);
      if (found.every((f) => f !== undefined)) {
        clearTimeout(timer);
        resolve(found as string[]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`certgate ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Stop a child started here (its whole process group) and wait for it. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}


/**
 * The e2e browser: the Chromium of chromiumPath() (which says what to install when there is none), headless, no
 * sandbox (CI runs as root), no GPU, no background traffic. Playwright gives it a fresh temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
