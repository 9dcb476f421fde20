/**
 * The packaged desktop app, walked once on each OS before a release is published (.github/workflows/
 * release.yml): upload a certificate → secure an API with it → see it in the policy → deletion refused
 * while in use. Only there: it needs the real Electron binary electron-builder packaged (release/<version>/
 * *-unpacked or CertGate.app), a keychain, and a display (xvfb on Linux). Not part of `npm test`.
 *
 * Playwright's `_electron.launch` drives Electron through the Node inspector (--inspect), which the
 * packaged app's fuses switch off (enableNodeCliInspectArguments: false, as a signed app must). So the
 * walk launches the real executable with Chromium's DevTools port and attaches with
 * `chromium.connectOverCDP`: the same window, the same Playwright page API, the fused binary unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { deleteRefusedWhileInUse, secureApiWithCertificate, t, uploadCertificate, walkCertificate, type Walk } from './walk-steps';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results/electron');

/** The packaged app's executable for this OS and architecture, as electron-builder leaves it unpacked. */
function packagedApp(): string {
  if (process.env.CERTGATE_APP) return process.env.CERTGATE_APP;
  const releases = path.join(ROOT, 'release');
  const arch = process.arch === 'x64' ? '' : `-${process.arch}`;
  const candidates = readdirSync(releases).flatMap((version) => {
    const dir = path.join(releases, version);
    if (process.platform === 'win32') return [path.join(dir, `win${arch}-unpacked`, 'CertGate.exe')];
    if (process.platform === 'darwin') return [path.join(dir, `mac${arch}`, 'CertGate.app', 'Contents', 'MacOS', 'CertGate')];
    return [path.join(dir, `linux${arch}-unpacked`, 'certgate-console')];
  });
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`No packaged app for ${process.platform}-${process.arch} under release/ (looked for ${candidates.join(', ')}). Run electron-builder first.`);
  return found;
}

/** Start the app on its own data folder and wait for Chromium's DevTools address on stderr. */
function launch(executable: string, dataDir: string): Promise<{ child: ChildProcess; cdpUrl: string }> {
  const child = spawn(executable, [`--user-data-dir=${dataDir}`, '--remote-debugging-port=0', '--lang=en-US'], {
    env: { ...process.env, LANG: 'en_US.UTF-8', ELECTRON_ENABLE_LOGGING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The app printed no DevTools address in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, cdpUrl: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited (${code}) before it was ready:\n${output}`));
    });
  });
}

describe('the packaged CertGate app (release walk)', () => {
  const client = walkCertificate();
  let dataDir: string;
  let app: ChildProcess | undefined;
  let browser: Browser | undefined;
  let walk: Walk;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certgate-walk-'));
    const started = await launch(packagedApp(), dataDir);
    app = started.child;
    browser = await chromium.connectOverCDP(started.cdpUrl);
    const context = browser.contexts()[0];
    if (!context) throw new Error('The app has no browser context.');
    const page = context.pages().find((p) => !p.url().startsWith('devtools:')) ?? (await context.waitForEvent('page'));
    await page.getByRole('navigation', { name: t('nav.label') }).waitFor({ timeout: 60_000 });
    // The app's data folder is the one given (--user-data-dir): the walk never touches the runner's profile.
    walk = { page, dataFile: path.join(dataDir, 'certgate.json'), client };
  });

  afterAll(async () => {
    if (walk) {
      mkdirSync(SHOTS, { recursive: true });
      await walk.page.screenshot({ path: path.join(SHOTS, `${process.platform}-last.png`) }).catch(() => undefined);
    }
    await browser?.close().catch(() => undefined);
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app?.once('exit', resolve));
      app.kill();
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a client certificate with its password', () => uploadCertificate(walk));
  it('secures an API with Mutual certificates, and the policy shows the certificate', () => secureApiWithCertificate(walk));
  it('refuses to delete the certificate while the API uses it, naming the API', () => deleteRefusedWhileInUse(walk));
});
