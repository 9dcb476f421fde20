/**
 * The console in real Chromium against `certgate serve` and a local mTLS echo back end, run twice: once in
 * English and once in French (each against its own fresh `serve`). The DESIGN.md workflow (upload with a
 * wrong then the right password, secure an API with Mutual certificates, see the policy, call through the
 * gateway and see the back end report the thumbprint, refuse to delete a certificate in use (the first dialog says so), set the API back
 * to None, delete the certificate), plus Diagnose, Replace with roll back, Export with a download, the
 * browser-mode token handling, the strict CSP, and an axe-core check of every page. Each checked screen is
 * saved to test-results/screenshots/<lang>/<page>.png.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type Messages } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { chromiumPath } from '../helpers/chromium';
import { axeViolations, children, ensureRendererBuilt, folders, launchChromium, makePfx, SCREENSHOTS, settleAnimations, startCli, stop, translator } from './harness';

const PASSWORD = 'e2e-s3cret';

/**
 * The names the workflow clicks, spelled out in each language (the operators' words, checked literally);
 * everything else comes from the catalogue of the run's language.
 */
const NAMES = {
  en: {
    security: 'Security',
    clientCertificates: 'Client certificates',
    uploadCertificate: 'Upload certificate',
    upload: 'Upload',
    delete: 'Delete',
    yesDelete: 'Yes, delete it',
    apis: 'APIs',
    withCredentials: 'With credentials',
    mutual: 'Mutual certificates',
    none: 'None',
    clientCertificate: 'Client certificate',
    save: 'Save',
    policies: 'Policies',
  },
  fr: {
    security: 'Sécurité',
    clientCertificates: 'Certificats clients',
    uploadCertificate: 'Charger un certificat',
    upload: 'Charger',
    delete: 'Supprimer',
    yesDelete: 'Oui, le supprimer',
    apis: 'API',
    withCredentials: "Avec informations d'identification",
    mutual: 'Certificats mutuels',
    none: 'Aucune',
    clientCertificate: 'Certificat client',
    save: 'Enregistrer',
    policies: 'Stratégies',
  },
} as const;

type Lang = keyof typeof NAMES;

let browser: Browser;
let echoUrl: string;
let caPath: string;

beforeAll(async () => {
  // First: without a browser nothing here can run, and the message says what to install.
  chromiumPath();
  ensureRendererBuilt();
  const caDir = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-ca-'));
  folders.push(caDir);
  [echoUrl = ''] = await startCli(['echo-backend', '--port', '0', '--ca-out', caDir, '--any-client-cert'], [/Echo back end: (\S+)/]);
  caPath = path.join(caDir, 'ca.crt');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(children.map(stop));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.each([
  { lang: 'en' as Lang, locale: 'en-US', messages: en as Messages },
  { lang: 'fr' as Lang, locale: 'fr-FR', messages: fr },
])('CertGate console in Chromium ($lang)', ({ lang, locale, messages }) => {
  const N = NAMES[lang];
  const t = translator(messages, locale);
  const pageProblems: string[] = [];
  let context: BrowserContext;
  let page: Page;
  let consoleUrl: string;
  let server: ChildProcess | undefined;
  const client = makePfx(`e2e-client-${lang}`, PASSWORD);
  const next = makePfx(`e2e-next-${lang}`, PASSWORD);
  const certName = `e2e-client-${lang}`;
  const apiName = lang === 'en' ? 'Echo' : 'Écho';
  const apiPath = 'echo';

  /**
   * Save a screenshot of the current screen as test-results/screenshots/<lang>/<name>.png. The page scrolls
   * inside <main>, so the window is made as tall as its content for the picture, then set back.
   */
  async function snap(name: string): Promise<void> {
    const dir = path.join(SCREENSHOTS, lang);
    mkdirSync(dir, { recursive: true });
    const viewport = page.viewportSize() ?? { width: 1280, height: 720 };
    const extra = await page.evaluate(() => {
      const main = document.getElementById('main');
      return main ? main.scrollHeight - main.clientHeight : 0;
    });
    if (extra > 0) await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + extra, 8000) });
    try {
      await page.screenshot({ path: path.join(dir, `${name}.png`) });
    } finally {
      if (extra > 0) await page.setViewportSize(viewport);
    }
  }

  /** Run axe-core on the page (fail on serious or critical WCAG 2 A/AA violations), then save a screenshot. */
  async function expectAccessible(name: string): Promise<void> {
    // A toast from the step before ("API Echo created.") fades in and out on its own timer: axe would measure
    // its text's contrast mid-fade. Its own contrast is checked where it is asserted; here the page is checked.
    await expect.poll(() => page.locator('.fui-Toast').count(), { timeout: 30_000 }).toBe(0);
    // Colours mid-transition (a button just re-enabled) are not what users read: let them settle.
    await settleAnimations(page);
    expect(await axeViolations(page), `axe on ${lang}/${name}`).toEqual([]);
    await snap(name);
  }

  /** Wait until a toast has faded out (mid-animation its text is half transparent, which axe would flag). */
  async function toastGone(text?: string): Promise<void> {
    const toast = text === undefined ? page.locator('.fui-ToastTitle').first() : page.locator('.fui-ToastTitle', { hasText: text });
    await toast.waitFor();
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
  }

  function nav() {
    return page.getByRole('navigation', { name: t('nav.label') });
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `certgate-e2e-data-${lang}-`));
    folders.push(dataDir);
    [consoleUrl = ''] = await startCli(
      ['serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0'],
      [/Console: (http:\/\/\S+#token=\S+)/, /Gateway: (http:\/\/\S+)/],
    );
    server = children.at(-1);
    // The language setting is "system" on a fresh data folder: the browser's language decides.
    context = await browser.newContext({ locale, colorScheme: 'light', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (message) => {
      // Refusals come back as HTTP 4xx/5xx with a Result body; Chromium logs each one. Everything else counts.
      // The page's <meta> CSP names frame-ancestors as asked; browsers honour it only from the server's header
      // (which the admin server sends) and say so.
      const expected = /^Failed to load resource: the server responded with a status of (4|5)\d\d|'frame-ancestors' is ignored when delivered via a <meta> element/;
      if (message.type() === 'error' && !expected.test(message.text())) pageProblems.push(message.text());
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (server) await stop(server);
  });

  it('opens from the printed link, keeps the token out of the address bar, and shows the first-run state', async () => {
    await page.goto(consoleUrl);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: t('apis.empty.title') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await page.getByText('npx certgate echo-backend --port 9443 --ca-out ./echo-ca').count()).toBe(1);
    await expect.poll(() => page.getByRole('status', { name: t('status.label') }).textContent()).toContain(t('gateway.state.running'));
    expect(await nav().getByText(N.security, { exact: true }).count()).toBe(1);
    const token = await page.evaluate(() => window.sessionStorage.getItem('certgate.token'));
    expect(token).toMatch(/\S{20,}/);
    await expectAccessible('apis-empty');
  });

  it('uploads a client certificate: wrong password first, then the right one', async () => {
    await nav().getByRole('link', { name: new RegExp(`^${N.clientCertificates}`) }).click();
    await page.getByRole('heading', { name: t('certs.empty.title') }).waitFor();
    await expectAccessible('client-certificates-empty');
    await page.getByRole('button', { name: N.uploadCertificate }).first().click();
    const dialog = page.getByRole('dialog', { name: N.uploadCertificate });
    await dialog.getByLabel(t('upload.file')).setInputFiles({ name: `${certName}.pfx`, mimeType: 'application/x-pkcs12', buffer: client.pfx });
    await dialog.getByLabel(t('upload.password'), { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: N.upload, exact: true }).click();
    await dialog.getByText(t('error.bad-password')).waitFor();
    expect(await dialog.getByText(new RegExp(`${certName}\\.pfx`)).count()).toBe(1);
    await expectAccessible('upload-dialog-wrong-password');
    await dialog.getByLabel(t('upload.password'), { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: N.upload, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('tr[data-highlighted="true"]');
    await row.waitFor();
    expect(await row.getByText(certName).count()).toBeGreaterThan(0);
    expect(await row.locator('strong.cg-thumbprint-last4').textContent()).toBe(client.thumbprint.slice(-4));
    await toastGone(t('certs.uploaded', { name: certName }));
    await expectAccessible('client-certificates');
  });

  it('uploads the echo back end CA', async () => {
    await nav().getByRole('link', { name: t('nav.caCertificates') }).click();
    await page.getByRole('button', { name: t('ca.upload') }).first().click();
    const dialog = page.getByRole('dialog', { name: t('ca.upload') });
    await dialog.getByLabel(t('ca.pem')).fill(readFileSync(caPath, 'utf8'));
    await dialog.getByLabel(t('ca.id')).fill('echo-ca');
    await dialog.getByRole('button', { name: t('upload.submit'), exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: t('ca.title') }).waitFor();
    await toastGone();
    await expectAccessible('ca-certificates');
  });

  it('adds an API, secures it with Mutual certificates, diagnoses it, and the policy shows the certificate', async () => {
    await nav().getByRole('link', { name: N.apis, exact: true }).click();
    await page.getByRole('button', { name: t('apis.add') }).first().click();
    const dialog = page.getByRole('dialog', { name: t('apis.add') });
    await dialog.getByLabel(t('apis.displayName')).fill(apiName);
    await dialog.getByLabel(t('apis.serviceUrl')).fill(echoUrl);
    await dialog.getByRole('button', { name: t('apis.create') }).click();
    await page.getByRole('heading', { level: 1, name: apiName }).waitFor();
    await expect.poll(() => page.url()).toContain(`#/apis/${apiPath}/security`);

    await page.getByRole('combobox', { name: N.withCredentials }).click();
    await page.getByRole('option', { name: N.mutual }).click();
    await page.getByRole('combobox', { name: N.clientCertificate }).click();
    // "e2e-client-en, ending 1A2B, expires in 364 days": the expiry in words is whatever today makes it.
    const option = t('security.certificateOption', { subject: certName, last4: client.thumbprint.slice(-4), expiry: '@' });
    await page.getByRole('option', { name: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('@', '.+')}$`) }).click();
    await page.getByRole('group', { name: t('security.trustedCas') }).getByRole('checkbox').first().check();
    await expectAccessible('api-security');
    await page.getByRole('button', { name: N.save, exact: true }).click();
    await page.getByText(t('security.savedCertificate', { name: certName })).waitFor();

    await page.getByRole('button', { name: t('diagnose.button') }).click();
    const report = page.getByRole('region', { name: t('diagnose.title', { url: echoUrl }) });
    await report.waitFor({ timeout: 30_000 });
    const steps = report.getByRole('table', { name: t('diagnose.steps') });
    expect(await steps.locator('tr[data-step]').count()).toBe(5);
    expect(await steps.locator('tr[data-step="tls"]').getAttribute('data-outcome')).toBe('ok');
    expect(await steps.locator('tr[data-step="http"]').getAttribute('data-outcome')).toBe('ok');
    expect(await report.getByText(t('diagnose.ok')).count()).toBe(1);
    expect(await report.getByText(/^TLSv1\.[23]$/).count()).toBe(1);
    expect(await report.locator('strong.cg-thumbprint-last4').textContent()).toBe(client.thumbprint.slice(-4));
    expect(await report.getByRole('region', { name: t('diagnose.serverChain') }).locator('li').count()).toBeGreaterThan(0);
    await expectAccessible('api-security-diagnosis');

    await page.getByRole('tab', { name: N.policies }).click();
    const editor = page.getByRole('textbox', { name: t('policy.editor') });
    await editor.waitFor();
    await expect.poll(() => editor.textContent()).toContain(`<authentication-certificate certificate-id="${certName}" />`);
    await expectAccessible('api-policies');
  });

  it('marks a policy the core refuses at its line', async () => {
    const editor = page.getByRole('textbox', { name: t('policy.editor') });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n<not-a-policy-element/>');
    await page.getByRole('button', { name: N.save, exact: true }).click();
    await page.getByRole('alert').filter({ hasText: t('policy.problemTitle') }).waitFor();
    const where = new RegExp(t('policy.problemAt', { line: '\\d+', column: '\\d+', message: '' }).trim());
    expect(await page.getByRole('alert').filter({ hasText: where }).count()).toBe(1);
    await page.locator('.cm-lintRange-error').first().waitFor();
    await page.getByRole('button', { name: t('policy.discard') }).click();
  });

  it("calls the back end through the gateway, and the back end reports the certificate's thumbprint", async () => {
    await page.getByRole('tab', { name: t('api.tab.test') }).click();
    await page.getByLabel(t('test.path')).fill('/hello?x=1');
    await page.getByRole('button', { name: t('test.send') }).click();
    const response = page.getByRole('region', { name: t('test.result') });
    await response.waitFor();
    expect(await response.getByTestId('test-status').textContent()).toBe('200');
    // The echo back end puts the thumbprint of the certificate it received in its answer.
    expect(await response.textContent()).toContain(`"thumbprint":"${client.thumbprint}"`);
    expect(await response.locator('strong.cg-thumbprint-last4').first().textContent()).toBe(client.thumbprint.slice(-4));
    await expectAccessible('api-test');

    await nav().getByRole('link', { name: t('nav.gateway'), exact: true }).click();
    const traffic = page.getByRole('table', { name: t('gateway.traffic') });
    await traffic.waitFor();
    expect(await traffic.getByText(`/${apiPath}/hello`).count()).toBeGreaterThan(0);
    await expectAccessible('gateway');

    await nav().getByRole('link', { name: N.apis, exact: true }).click();
    await page.getByRole('table', { name: t('apis.title') }).getByRole('link', { name: apiName }).click();
    await page.getByRole('tab', { name: t('api.tab.settings'), selected: true }).waitFor();
    await expectAccessible('api-settings');
    await nav().getByRole('link', { name: N.apis, exact: true }).click();
    await page.getByRole('table', { name: t('apis.title') }).waitFor();
    await expectAccessible('apis');
  });

  it('previews the export: Kong, nginx and Azure API Management, with a download and no private key', async () => {
    await nav().getByRole('link', { name: t('nav.export') }).click();
    await page.getByRole('heading', { level: 1, name: t('export.title') }).waitFor();
    await page.getByText(t('export.keysTitle')).waitFor();
    const kong = page.locator('li[data-path="kong.yaml"]');
    await kong.waitFor();
    expect(await kong.locator('pre').textContent()).toContain(apiPath);
    const [download] = await Promise.all([page.waitForEvent('download'), kong.getByRole('button', { name: t('export.downloadLabel', { path: 'kong.yaml' }) }).click()]);
    expect(download.suggestedFilename()).toBe('kong.yaml');
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toBe(await kong.locator('pre').textContent());
    await expectAccessible('export');

    await page.getByRole('radio', { name: t('export.format.nginx') }).check();
    await page.locator('li[data-path$=".conf"]').first().waitFor();
    expect(await page.content()).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);

    await page.getByRole('radio', { name: t('export.format.apim') }).check();
    const policy = page.locator('li[data-path$=".xml"]').first();
    await policy.waitFor();
    const show = policy.getByRole('button', { name: new RegExp(`^${t('export.show')} `) });
    if ((await show.count()) > 0) await show.click();
    await expect.poll(() => policy.locator('.cm-content').textContent()).toContain(certName);
    expect(await policy.locator('.cm-content').getAttribute('aria-readonly')).toBe('true');
    await expectAccessible('export-apim');
  });

  it('replaces the certificate: the preflight passes, the API switches, and rolls back', async () => {
    await nav().getByRole('link', { name: new RegExp(`^${N.clientCertificates}`) }).click();
    await page.getByRole('button', { name: t('certs.replaceLabel', { name: certName }) }).click();
    const dialog = page.getByRole('dialog', { name: t('rotate.title', { name: certName }) });
    await dialog.getByLabel(t('rotate.file')).setInputFiles({ name: 'next.pfx', mimeType: 'application/x-pkcs12', buffer: next.pfx });
    await dialog.getByLabel(t('upload.password'), { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: t('rotate.submit'), exact: true }).click();
    await dialog.getByText(t('rotate.switched.one', { count: 1, name: `e2e-next-${lang}` })).waitFor({ timeout: 30_000 });
    expect(await dialog.locator(`li[data-preflight="ok"]`).count()).toBe(1);
    await expectAccessible('replace-dialog');
    await dialog.getByRole('button', { name: t('rotate.rollBack') }).click();
    await dialog.getByText(t('rotate.rolledBack.one', { count: 1, name: certName })).waitFor();
    await dialog.getByRole('button', { name: t('common.close') }).click();
    await dialog.waitFor({ state: 'detached' });
    const rotations = page.getByRole('table', { name: t('rotations.title') });
    await rotations.waitFor();
    expect(await rotations.textContent()).toContain(t('rotations.fromTo', { from: certName, to: `e2e-next-${lang}` }));
    await expectAccessible('client-certificates-rotations');
  });

  it('refuses to delete the certificate while the API uses it, listing the API', async () => {
    await page.getByRole('button', { name: t('certs.deleteLabel', { name: certName }) }).click();
    // The page knows the API uses it: the first dialog already says so, and offers no "Yes, delete it".
    const warning = page.getByRole('dialog', { name: t('delete.inUseTitle') });
    await warning.waitFor();
    expect(await warning.getByText(t('delete.inUseFirstBody')).count()).toBe(1);
    expect(await warning.getByRole('button', { name: N.yesDelete }).count()).toBe(0);
    const link = warning.getByRole('link', { name: apiName });
    expect(await link.getAttribute('href')).toBe(`#/apis/${apiPath}/security`);
    await expectAccessible('delete-in-use');
    await link.click();
    await page.getByRole('combobox', { name: N.withCredentials }).waitFor();
  });

  it('sets the API back to None, then deletes the certificate with "Yes, delete it"', async () => {
    await page.getByRole('combobox', { name: N.withCredentials }).click();
    await page.getByRole('option', { name: N.none, exact: true }).click();
    await page.getByRole('button', { name: N.save, exact: true }).click();
    await page.getByText(t('security.savedLive')).waitFor();

    await nav().getByRole('link', { name: new RegExp(`^${N.clientCertificates}`) }).click();
    const table = page.getByRole('table', { name: N.clientCertificates });
    await table.waitFor();
    await page.getByRole('button', { name: `${N.delete} ${certName}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: t('delete.title') });
    await dialog.getByRole('button', { name: N.yesDelete }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.fui-ToastTitle', { hasText: t('certs.deleted', { name: certName }) }).waitFor();
    await expect.poll(() => table.locator(`tr[data-certificate-id="${certName}"]`).count()).toBe(0);
  });

  it('works from the keyboard: a dialog takes focus, Escape closes it and focus returns', async () => {
    const open = page.getByRole('button', { name: N.uploadCertificate }).first();
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: N.uploadCertificate });
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

  it('shows Settings, in the dark theme too', async () => {
    await nav().getByRole('link', { name: t('nav.settings') }).click();
    await page.getByRole('heading', { level: 1, name: t('settings.title') }).waitFor();
    await expectAccessible('settings');
    const theme = page.getByRole('radiogroup', { name: t('settings.theme') });
    await theme.getByRole('radio', { name: t('settings.theme.dark') }).check();
    await expect.poll(() => page.locator('.fui-FluentProvider').first().getAttribute('data-theme')).toBe('dark');
    await expectAccessible('settings-dark');
    await nav().getByRole('link', { name: new RegExp(`^${N.clientCertificates}`) }).click();
    await page.getByRole('table', { name: N.clientCertificates }).waitFor();
    await expectAccessible('client-certificates-dark');
    await nav().getByRole('link', { name: t('nav.settings') }).click();
    await theme.getByRole('radio', { name: t('settings.theme.system') }).check();
    await expect.poll(() => page.locator('.fui-FluentProvider').first().getAttribute('data-theme')).toBe('light');
  });

  if (lang === 'en') {
    it('switches to French in Settings, and back', async () => {
      await page.getByRole('radio', { name: 'Français' }).check();
      await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByText('Certificats clients').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      await page.getByRole('radiogroup', { name: 'Langue' }).getByRole('radio', { name: 'Comme le système' }).check();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    });
  }

  it('ran without a CSP violation or an uncaught error', () => {
    expect(pageProblems).toEqual([]);
  });
});
