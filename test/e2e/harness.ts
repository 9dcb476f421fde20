/**
 * What the e2e files share: building the renderer when stale, starting `certgate` commands (serve inside a
 * private D-Bus session and keyring when there is none) and stopping them by process group. Each test file
 * runs in its own worker, so `children` and `folders` are that file's own; its afterAll stops and removes them.
 * Also the pieces every page test needs: client certificates as PFX files, the catalogue's translator, the admin
 * API as the console calls it, and axe-core with a screenshot.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { MessageKey, Messages } from '../../renderer/i18n/en';
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

/** axe-core's browser build, for `page.evaluate(AXE_SOURCE)` (the DevTools protocol is not bound by the page's CSP). */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Where the e2e tests save what the console showed: `<lang>/<name>.png`. */
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

/** Wait until the page's finite animations have ended (mid-fade, text is half transparent, which axe would flag). */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** The serious or critical WCAG 2 A/AA violations axe-core finds on the page, each with up to three of its nodes. */
export async function axeViolations(page: Page): Promise<string[]> {
  // evaluate() runs through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Run = (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[] }>;
    const axe = (window as unknown as { axe: { run: Run } }).axe;
    // Tabster's focus-trap sentinels (<i data-tabster-dummy>) are Fluent internals, invisible and unreachable by users.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).slice(0, 3).join(', ')}`);
  });
}

/**
 * axe-core on the page once its toasts have gone and its animations ended (violations fail the test), then a
 * screenshot as test-results/screenshots/<lang>/<name>.png.
 */
export async function checkPage(page: Page, lang: string, name: string, options: { readonly fullPage?: boolean } = {}): Promise<void> {
  // A toast from the step before fades in and out on its own timer: its contrast is checked where it is asserted.
  await expect.poll(() => page.locator('.fui-Toast').count(), { timeout: 30_000 }).toBe(0);
  await settleAnimations(page);
  expect(await axeViolations(page), `axe on ${lang}/${name}`).toEqual([]);
  mkdirSync(path.join(SCREENSHOTS, lang), { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, lang, `${name}.png`), fullPage: options.fullPage });
}

/** What an operation over the admin API answers. */
export interface RpcResult<T> {
  readonly ok: boolean;
  readonly value?: T;
  readonly error?: { readonly code: string; readonly message?: string };
}

/** The admin API of a running `certgate serve`, reached as the console reaches it. */
export interface Admin {
  /** The console's and the admin API's origin. */
  readonly origin: string;
  /** Call an operation; a refusal is a result. */
  call<T = unknown>(name: string, input: unknown): Promise<RpcResult<T>>;
  /** Call an operation; a refusal throws. */
  rpc<T = unknown>(name: string, input: unknown): Promise<T>;
}

/** The admin API behind the console link `certgate serve` printed (`http://host:port/#token=…`). */
export function adminOf(consoleUrl: string): Admin {
  const url = new URL(consoleUrl);
  const origin = url.origin;
  const token = decodeURIComponent(url.hash.replace(/^#token=/, ''));
  const call = async <T>(name: string, input: unknown): Promise<RpcResult<T>> => {
    const response = await fetch(`${origin}/_rpc/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await response.json()) as RpcResult<T>;
  };
  return {
    origin,
    call,
    async rpc<T>(name: string, input: unknown): Promise<T> {
      const result = await call<T>(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    },
  };
}

/** A self-signed client certificate valid for `days` as a password-protected PFX, with its thumbprint. */
export function makePfx(commonName: string, password: string, days = 365, organization = 'CertGate e2e'): { pfx: Buffer; thumbprint: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  const attrs = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: organization }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(key, forge.md.sha256.create());
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const thumbprint = forge.md.sha1.create().update(der).digest().toHex().toUpperCase();
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
  return { pfx: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), thumbprint };
}

/** Translation for a run, as the console does it: the catalogue's message with its `{name}` placeholders filled. */
export function translator(messages: Messages, locale: string): (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string {
  const number = new Intl.NumberFormat(locale);
  return (key, params) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params?.[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? number.format(value) : value;
    });
}
