/**
 * The console in real Chromium against `certgate serve` and a local mTLS echo back end: the whole DESIGN.md
 * workflow (upload, secure an API, see the policy, call through the gateway, refuse to delete a certificate in
 * use), the browser-mode token handling, the strict CSP, French, and axe-core accessibility checks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin/certgate.mjs');
const RENDERER_OUT = path.join(ROOT, 'out/renderer/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'e2e-s3cret';

const children: ChildProcess[] = [];
const folders: string[] = [];
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleUrl: string;
let pfx: Buffer;
let caPath: string;
let echoUrl: string;
const pageProblems: string[] = [];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Build the renderer when out/renderer is missing or older than its sources. */
function ensureRendererBuilt(): void {
  if (existsSync(RENDERER_OUT) && statSync(RENDERER_OUT).mtimeMs >= newestMtime(path.join(ROOT, 'renderer'))) return;
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: ROOT, encoding: 'utf8' });
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
async function startCli(args: readonly string[], patterns: readonly RegExp[]): Promise<string[]> {
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

/** A client certificate (self-signed, valid for a year) as a password-protected PFX. */
function makePfx(commonName: string, password: string): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'CertGate e2e' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** With CERTGATE_E2E_SCREENSHOTS=<dir>, keep a screenshot of each checked screen there (for reviewing the UI). */
async function snap(name: string): Promise<void> {
  const dir = process.env.CERTGATE_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
}

/** Run axe-core on the page; fail on serious or critical WCAG 2 A/AA violations. */
async function expectAccessible(where: string): Promise<void> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Colours mid-transition (a button just re-enabled, a toast fading in) are not what users read: let them settle.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  // evaluate() runs through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe;
    // Tabster's focus-trap sentinels (<i data-tabster-dummy>) are Fluent internals, invisible and unreachable by users.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).slice(0, 3).join(', ')}`);
  });
  expect(violations, `axe on ${where}`).toEqual([]);
  await snap(where);
}

beforeAll(async () => {
  ensureRendererBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-data-'));
  const caDir = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-ca-'));
  folders.push(dataDir, caDir);
  [echoUrl = ''] = await startCli(['echo-backend', '--port', '0', '--ca-out', caDir, '--any-client-cert'], [/Echo back end: (\S+)/]);
  caPath = path.join(caDir, 'ca.crt');
  [consoleUrl = ''] = await startCli(
    ['serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0'],
    [/Console: (http:\/\/\S+#token=\S+)/, /Gateway: (http:\/\/\S+)/],
  );
  pfx = makePfx('e2e-client', PASSWORD);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Playwright gives the browser a fresh temporary profile.
  });
  context = await browser.newContext({ locale: 'en-US', colorScheme: 'light' });
  page = await context.newPage();
  page.on('console', (message) => {
    // Refusals come back as HTTP 4xx/5xx with a Result body; Chromium logs each one. Everything else counts.
    // The page's <meta> CSP names frame-ancestors as asked; browsers honour it only from the server's header
    // (which the admin server sends) and say so.
    const expected = /^Failed to load resource: the server responded with a status of (4|5)\d\d|'frame-ancestors' is ignored when delivered via a <meta> element/;
    if (message.type() === 'error' && !expected.test(message.text())) {
      pageProblems.push(message.text());
    }
  });
  page.on('pageerror', (error) => pageProblems.push(error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const exits = children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null));
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }
  await Promise.all(exits);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('CertGate console in Chromium', () => {
  it('opens from the printed link, keeps the token out of the address bar, and shows the first-run state', async () => {
    await page.goto(consoleUrl);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'No APIs yet' }).waitFor();
    expect(await page.getByText('npx certgate echo-backend --port 9443 --ca-out ./echo-ca').count()).toBe(1);
    expect(await page.getByRole('status', { name: 'Gateway status' }).textContent()).toContain('Running');
    const token = await page.evaluate(() => window.sessionStorage.getItem('certgate.token'));
    expect(token).toMatch(/\S{20,}/);
    await expectAccessible('the APIs empty state');
  });

  it('uploads a client certificate: wrong password first, then the right one', async () => {
    await page.getByRole('link', { name: 'Client certificates' }).click();
    await page.getByRole('heading', { name: 'No client certificates yet' }).waitFor();
    await expectAccessible('the client certificates empty state');
    await page.getByRole('button', { name: 'Upload certificate' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Upload certificate' });
    await dialog.getByLabel('Certificate file').setInputFiles({ name: 'e2e-client.pfx', mimeType: 'application/x-pkcs12', buffer: pfx });
    await dialog.getByLabel('Password', { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.getByText('The password is wrong for this file.').waitFor();
    expect(await dialog.getByText(/e2e-client\.pfx/).count()).toBe(1);
    await expectAccessible('the upload dialog with an error');
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const toast = page.locator('.fui-ToastTitle', { hasText: 'Certificate e2e-client uploaded.' });
    await toast.waitFor();
    const row = page.locator('tr[data-highlighted="true"]');
    await row.waitFor();
    expect(await row.getByText('e2e-client').count()).toBeGreaterThan(0);
    expect(await row.locator('strong.cg-thumbprint-last4').textContent()).toMatch(/^[0-9A-F]{4}$/);
    // Checked once the toast has faded out: mid-animation its text is half transparent.
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
    await expectAccessible('the client certificates table');
  });

  it('uploads the echo back end CA', async () => {
    await page.getByRole('link', { name: 'CA certificates' }).click();
    await page.getByRole('button', { name: 'Upload CA certificate' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Upload CA certificate' });
    await dialog.getByLabel('PEM certificate').fill(readFileSync(caPath, 'utf8'));
    await dialog.getByLabel('Id (optional)').fill('echo-ca');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'CA certificates' }).waitFor();
  });

  it('adds an API, secures it with the certificate, and the policy shows it', async () => {
    await page.getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('button', { name: 'Add API' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add API' });
    await dialog.getByLabel('Display name').fill('Echo');
    await dialog.getByLabel('Web service URL').fill(echoUrl);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Echo' }).waitFor();
    await expect.poll(() => page.url()).toContain('#/apis/echo/security');

    await page.getByRole('combobox', { name: 'With credentials' }).click();
    await page.getByRole('option', { name: 'Mutual certificates' }).click();
    await page.getByRole('combobox', { name: 'Client certificate' }).click();
    await page.getByRole('option', { name: /^e2e-client, ending [0-9A-F]{4}, expires in/ }).click();
    await page.getByRole('group', { name: 'Trusted CA certificates' }).getByRole('checkbox').first().check();
    await expectAccessible('the Security tab');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. The change is live: the next call through the gateway presents e2e-client.').waitFor();

    await page.getByRole('tab', { name: 'Policies' }).click();
    const editor = page.getByRole('textbox', { name: 'Policy XML' });
    await editor.waitFor();
    await expect.poll(() => editor.textContent()).toContain('<authentication-certificate certificate-id="e2e-client" />');
    await expectAccessible('the Policies tab');
  });

  it('marks a policy the core refuses at its line', async () => {
    const editor = page.getByRole('textbox', { name: 'Policy XML' });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n<not-a-policy-element/>');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'The policy was not saved' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: /Line \d+, column \d+/ }).count()).toBe(1);
    await page.locator('.cm-lintRange-error').first().waitFor();
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('calls the back end through the gateway from the Test tab, presenting the certificate', async () => {
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByLabel('Path').fill('/hello?x=1');
    await page.getByRole('button', { name: 'Send' }).click();
    const response = page.getByRole('region', { name: 'Response' });
    await response.waitFor();
    expect(await response.getByTestId('test-status').textContent()).toBe('200');
    expect(await response.textContent()).toContain('e2e-client');
    expect(await response.locator('strong.cg-thumbprint-last4').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Gateway' }).click();
    const traffic = page.getByRole('table', { name: 'Live traffic' });
    await traffic.waitFor();
    expect(await traffic.getByText('/echo/hello').count()).toBeGreaterThan(0);
    await expectAccessible('the Gateway page');
  });

  it('refuses to delete the certificate while the API uses it', async () => {
    await page.getByRole('link', { name: /^Client certificates/ }).click();
    await page.getByRole('button', { name: 'Delete e2e-client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete certificate?' });
    await dialog.getByRole('button', { name: 'Yes, delete it' }).click();
    const warning = page.getByRole('dialog', { name: 'This certificate is in use' });
    await warning.waitFor();
    const link = warning.getByRole('link', { name: 'Echo' });
    expect(await link.getAttribute('href')).toBe('#/apis/echo/security');
    await expectAccessible('the in-use warning');
    await link.click();
    await page.getByRole('combobox', { name: 'With credentials' }).waitFor();
  });

  it('works from the keyboard: a dialog takes focus, Escape closes it and focus returns', async () => {
    await page.getByRole('link', { name: /^Client certificates/ }).click();
    const open = page.getByRole('button', { name: 'Upload certificate' }).first();
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Upload certificate' });
    await dialog.waitFor();
    await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => open.evaluate((b) => b === document.activeElement)).toBe(true);
    // The page is back in the accessibility tree once the dialog is gone.
    expect(await page.getByRole('main').count()).toBe(1);
  });

  it('switches to French', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Français' }).check();
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByText('Certificats clients').count()).toBe(1);
    expect(await nav.getByText('Sécurité').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await expectAccessible('the Settings page in French');
    await page.getByRole('radiogroup', { name: 'Thème' }).getByRole('radio', { name: 'Sombre' }).check();
    await expect.poll(() => page.locator('.fui-FluentProvider').first().getAttribute('data-theme')).toBe('dark');
    await expectAccessible('the Settings page in the dark theme');
    await page.getByRole('link', { name: /^Certificats clients/ }).click();
    await page.getByRole('table', { name: 'Certificats clients' }).waitFor();
    await expectAccessible('the client certificates table in the dark theme');
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await page.getByRole('radiogroup', { name: 'Thème' }).getByRole('radio', { name: 'Comme le système' }).check();
    await page.getByRole('radiogroup', { name: 'Langue' }).getByRole('radio', { name: 'Comme le système' }).check();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  });

  it('ran without a CSP violation or an uncaught error', () => {
    expect(pageProblems).toEqual([]);
  });
});
