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
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../renderer/i18n/en';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results/electron');
const PASSWORD = 'walk-s3cret';
const CERT = 'walk-client';
const API = 'Walk API';

/** The console's English words, with `{name}` placeholders filled. */
function t(key: MessageKey, params: Readonly<Record<string, string>> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

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

/** A self-signed client certificate (RSA 2048, a year) as a password-protected PFX, and its thumbprint. */
function makePfx(commonName: string, password: string): { pfx: Buffer; thumbprint: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'CertGate release walk' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(key, forge.md.sha256.create());
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const thumbprint = forge.md.sha1.create().update(der).digest().toHex().toUpperCase();
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
  return { pfx: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), thumbprint };
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
  const client = makePfx(CERT, PASSWORD);
  let dataDir: string;
  let app: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certgate-walk-'));
    const started = await launch(packagedApp(), dataDir);
    app = started.child;
    browser = await chromium.connectOverCDP(started.cdpUrl);
    const context = browser.contexts()[0];
    if (!context) throw new Error('The app has no browser context.');
    page = context.pages().find((p) => !p.url().startsWith('devtools:')) ?? (await context.waitForEvent('page'));
    await page.getByRole('navigation', { name: t('nav.label') }).waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${process.platform}-last.png`) }).catch(() => undefined);
    }
    await browser?.close().catch(() => undefined);
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app?.once('exit', resolve));
      app.kill();
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a client certificate with its password', async () => {
    const nav = page.getByRole('navigation', { name: t('nav.label') });
    await nav.getByRole('link', { name: new RegExp(`^${t('certs.title')}`) }).click();
    await page.getByRole('button', { name: t('certs.upload') }).first().click();
    const dialog = page.getByRole('dialog', { name: t('certs.upload') });
    await dialog.getByLabel(t('upload.file')).setInputFiles({ name: `${CERT}.pfx`, mimeType: 'application/x-pkcs12', buffer: client.pfx });
    await dialog.getByLabel(t('upload.password'), { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: t('upload.submit'), exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: CERT }).filter({ hasText: client.thumbprint.slice(-4) }).first().waitFor();
    // The app's data folder is the one given: the walk never touches the runner's own profile.
    expect(readFileSync(path.join(dataDir, 'certgate.json'), 'utf8')).toContain(client.thumbprint);
  });

  it('secures an API with Mutual certificates, and the policy shows the certificate', async () => {
    await page.getByRole('navigation', { name: t('nav.label') }).getByRole('link', { name: t('nav.apis'), exact: true }).click();
    await page.getByRole('button', { name: t('apis.add') }).first().click();
    const dialog = page.getByRole('dialog', { name: t('apis.add') });
    await dialog.getByLabel(t('apis.displayName')).fill(API);
    await dialog.getByLabel(t('apis.serviceUrl')).fill('https://127.0.0.1:9443');
    await dialog.getByRole('button', { name: t('apis.create') }).click();
    await page.getByRole('heading', { level: 1, name: API }).waitFor();
    await page.getByRole('combobox', { name: 'With credentials' }).click();
    await page.getByRole('option', { name: 'Mutual certificates' }).click();
    await page.getByRole('combobox', { name: 'Client certificate' }).click();
    await page.getByRole('option', { name: new RegExp(`^${CERT}, ending ${client.thumbprint.slice(-4)}`) }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(t('security.savedCertificate', { name: CERT })).waitFor();
    await page.getByRole('tab', { name: 'Policies' }).click();
    const editor = page.getByRole('textbox', { name: t('policy.editor') });
    await expect.poll(() => editor.textContent()).toContain(`<authentication-certificate certificate-id="${CERT}" />`);
  });

  it('refuses to delete the certificate while the API uses it, naming the API', async () => {
    await page.getByRole('navigation', { name: t('nav.label') }).getByRole('link', { name: new RegExp(`^${t('certs.title')}`) }).click();
    await page.getByRole('button', { name: t('certs.deleteLabel', { name: CERT }) }).click();
    // The first dialog may already say it is in use; otherwise "Yes, delete it" leads to the refusal.
    const yes = page.getByRole('dialog').getByRole('button', { name: 'Yes, delete it' });
    const inUse = page.getByRole('dialog', { name: t('delete.inUseTitle') });
    await Promise.race([yes.waitFor(), inUse.waitFor()]);
    if (!(await inUse.isVisible()) && (await yes.isVisible())) await yes.click();
    await inUse.waitFor();
    expect(await inUse.getByText(API).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.getByRole('row').filter({ hasText: CERT }).first().waitFor();
    expect(readFileSync(path.join(dataDir, 'certgate.json'), 'utf8')).toContain(client.thumbprint);
  });
});
