/**
 * The release workflow's packaged-app walk (test/electron/walk-steps.ts: upload → security → policy →
 * delete refused), run here against `certgate serve` in Chromium: the same steps, labels and checks the
 * desktop app's window gets in the release workflow, proven on every test run. Only the launching of the
 * packaged Electron app is left to the release workflow (it needs a real Electron binary).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { deleteRefusedWhileInUse, secureApiWithCertificate, t, uploadCertificate, walkCertificate, type Walk } from '../electron/walk-steps';
import { chromiumPath } from '../helpers/chromium';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/certgate.mjs');

const folders: string[] = [];
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let walk: Walk;

/** `certgate serve` with a keychain: the session's own, else a private gnome-keyring (as console.test.ts does). */
function serveCommand(dataDir: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0'];
  if (process.env.DBUS_SESSION_BUS_ADDRESS || !existsSync('/usr/bin/dbus-run-session') || !existsSync('/usr/bin/gnome-keyring-daemon')) {
    return { command: process.execPath, args, env: process.env };
  }
  const home = mkdtempSync(path.join(tmpdir(), 'certgate-walk-home-'));
  folders.push(home);
  const script = 'printf walk | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"';
  return { command: 'dbus-run-session', args: ['--', 'sh', '-c', script, process.execPath, ...args], env: { ...process.env, HOME: home } };
}

/** Start serve in its own process group and wait for its console URL. */
function startServe(dataDir: string): Promise<string> {
  const run = serveCommand(dataDir);
  const child = spawn(run.command, run.args, { cwd: ROOT, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`certgate serve printed no console URL in 60 s:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Console: (http:\/\/\S+#token=\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`certgate serve exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'out/renderer/index.html'))) throw new Error('The console is not built: run "npm run build" first.');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certgate-walk-data-'));
  folders.push(dataDir);
  const consoleUrl = await startServe(dataDir);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(consoleUrl);
  await page.getByRole('navigation', { name: t('nav.label') }).waitFor();
  walk = { page, dataFile: path.join(dataDir, 'certgate.json'), client: walkCertificate() };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('the release walk, in the browser console', () => {
  it('uploads a client certificate with its password', () => uploadCertificate(walk));
  it('secures an API with Mutual certificates, and the policy shows the certificate', () => secureApiWithCertificate(walk));
  it('refuses to delete the certificate while the API uses it, naming the API', () => deleteRefusedWhileInUse(walk));
});
