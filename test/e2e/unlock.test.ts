/**
 * A passphrase vault opened locked (the desktop app on a folder made without a keychain, started without
 * CERTGATE_VAULT_PASSPHRASE_FILE), in real Chromium against the real core, admin API and gateway (issue 13):
 * the unlock form stands above every page and the status bar says "locked"; while locked the gateway presents no
 * certificate: its calls get 503 passphrase-required (not a 404) and the back end receives nothing; a wrong passphrase is said at the field, which keeps the focus,
 * and changes nothing on disk; the right one removes the form, the certificates show, and the very next call
 * through the gateway presents the API's certificate to a real mTLS back end. English at 1024x700, French at
 * 1920x1080; axe-core on the locked and the refused states; screenshots in test-results/screenshots/<lang>/.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInstance, type Instance } from '../../main/core/app/instance';
import { en, type Messages } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { createTestPki, type TestPki } from '../helpers/pki';
import { tempDir } from '../helpers/temp-dir';
import { checkPage, ensureRendererBuilt, launchChromium, ROOT } from './harness';

const RENDERER_DIR = path.join(ROOT, 'out/renderer');
const PASSPHRASE = 'a long e2e passphrase';
const PFX_PASSWORD = 'e2e-unlock';

let browser: Browser;
let pki: TestPki;
let dir: Awaited<ReturnType<typeof tempDir>>;
let backend: https.Server;
let backendUrl: string;
/** The subject CN of the client certificate of each call the back end received ('none' without one). */
const received: string[] = [];

function must<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  ensureRendererBuilt();
  pki = await createTestPki();
  dir = await tempDir('certgate-e2e-unlock-');
  backend = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    received.push(peer && peer.subject ? String(peer.subject.CN) : 'none');
    res.end('ok');
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `https://localhost:${(backend.address() as AddressInfo).port}`;

  // The folder is made with the passphrase (as `certgate` with CERTGATE_VAULT_PASSPHRASE_FILE does): a
  // certificate, the CA that signed the back end, an API presenting that certificate.
  const client = await pki.issueClient({ cn: 'e2e-unlock-client' });
  const pfx = await pki.exportPfx(client, { password: PFX_PASSWORD });
  const seeded = must(await openInstance({ dataDir: dir.path, vaultPassphrase: PASSPHRASE, gateway: false, admin: false }));
  try {
    const ops = seeded.operations;
    must(await ops['certificates.upload']({ id: 'unlock-cert', data: pfx.data.toString('base64'), password: PFX_PASSWORD, fileName: 'unlock.pfx' }));
    const ca = must(await ops['caCertificates.upload']({ id: 'e2e-ca', pem: pki.ca.certPem }));
    must(await ops['apis.create']({ id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: backendUrl, backendTls: { trustedCaCertificateIds: [ca.id] } }));
    must(await ops['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'unlock-cert' } }));
  } finally {
    await seeded.close();
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => backend?.close(resolve));
  await pki?.remove();
  await dir?.remove();
});

/** axe-core on the page, then a screenshot of all of it. */
function checkAndShoot(page: Page, lang: string, name: string): Promise<void> {
  return checkPage(page, lang, `unlock-${name}`, { fullPage: true });
}

describe.each([
  { lang: 'en', messages: en as Messages, width: 1024, height: 700 },
  { lang: 'fr', messages: fr, width: 1920, height: 1080 },
])('a locked passphrase vault in the console ($lang, $width x $height)', ({ lang, messages, width, height }) => {
  let instance: Instance;

  beforeAll(async () => {
    // No passphrase given: the folder opens locked, as the desktop app without CERTGATE_VAULT_PASSPHRASE_FILE.
    instance = must(await openInstance({ dataDir: dir.path, gateway: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0, rendererDir: RENDERER_DIR } }));
    must(await instance.operations['settings.set']({ language: lang as 'en' | 'fr' }));
  }, 60_000);

  afterAll(async () => {
    await instance?.close();
  });

  it('asks for the passphrase, refuses a wrong one at the field with nothing changed, and the right one brings the certificates and the gateway back', async () => {
    const gatewayCall = () => fetch(`${instance.gatewayUrl}/orders/items`);
    const before = received.length;
    const lockedCall = await gatewayCall();
    // Not "No API is published": the API exists, and the gateway says why it cannot call it yet.
    expect(lockedCall.status).toBe(503);
    const lockedBody = (await lockedCall.json()) as { error: { code: string; message: string; api: string | null } };
    expect(lockedBody.error).toMatchObject({ code: 'passphrase-required', api: 'orders' });
    expect(lockedBody.error.message).toContain('Unlock the vault');
    expect(received.length, 'the back end receives nothing while the vault is locked').toBe(before);

    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    try {
      await page.goto(`${instance.adminUrl}/#token=${encodeURIComponent(instance.adminToken ?? '')}`);
      const form = page.getByRole('region', { name: messages['vault.unlock.title'] });
      await form.waitFor();
      const status = page.getByRole('status', { name: messages['status.label'] });
      await expect.poll(() => status.textContent()).toContain(messages['status.vault.locked']);
      await checkAndShoot(page, lang, 'locked');

      const keyFile = path.join(dir.path, 'vault/data-key.passphrase.json');
      const keyBefore = readFileSync(keyFile);
      const field = form.getByLabel(messages['vault.unlock.field']);
      await field.fill('not the passphrase');
      await form.getByRole('button', { name: messages['vault.unlock.submit'] }).click();
      await form.getByText(messages['error.bad-passphrase']).waitFor();
      expect(await field.evaluate((e) => e === document.activeElement), 'the field keeps the focus').toBe(true);
      expect(readFileSync(keyFile).equals(keyBefore)).toBe(true);
      expect(must(await instance.operations['app.info']({})).vault).toEqual({ protection: 'passphrase', locked: true });
      await checkAndShoot(page, lang, 'refused');

      await field.fill(PASSPHRASE);
      await form.getByRole('button', { name: messages['vault.unlock.submit'] }).click();
      await form.waitFor({ state: 'detached' });
      await expect.poll(() => status.textContent()).toContain(messages['status.vault.passphrase']);
      expect(await status.textContent()).not.toContain(messages['status.vault.locked']);
      await page.getByRole('link', { name: messages['nav.clientCertificates'] }).click();
      await page.locator('tr[data-certificate-id="unlock-cert"]').waitFor();
      await checkAndShoot(page, lang, 'unlocked');

      // The next call presents the certificate: the gateway rebuilt its routes on vault.unlock.
      const unlockedCall = await gatewayCall();
      expect(unlockedCall.status).toBe(200);
      expect(await unlockedCall.text()).toBe('ok');
      expect(received.at(-1)).toBe('e2e-unlock-client');
      expect(readFileSync(keyFile).equals(keyBefore)).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
