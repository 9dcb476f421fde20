/**
 * The certificates page in an operator's day (issue 13), in real Chromium against one `certgate serve`, in
 * English and French, at 1024x700 (the window's narrowest) and 1920x1080: the table's columns stay apart
 * (dates on one line, "Not used" whole, no sideways scrolling, long subjects truncated with the full text
 * on hover); a duplicate upload names the stored certificate and offers Replace, with focus on the notice;
 * "Inspect" before upload; a slow file (9,000,000 key-derivation rounds) says so while the window stays
 * responsive, and Cancel stops it with nothing stored; the first delete dialog says the certificate is in
 * use; the Security tab warns before saving a certificate that expires soon; a thumbprint is copied. axe-core
 * checks each new state; screenshots go to test-results/screenshots/<lang>/day-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type Messages } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { type Admin, adminOf, checkPage, children, ensureRendererBuilt, folders, launchChromium, makePfx, SCREENSHOTS, startCli, stop, translator } from './harness';

const PASSWORD = 'e2e-s3cret';

let browser: Browser;

const LONG_ORG = 'Contoso Financial Services Platform Engineering Department';
const SIZES = [
  { name: '1024', width: 1024, height: 700 },
  { name: '1920', width: 1920, height: 1080 },
] as const;

let consoleUrl: string;
let admin: Admin;
const used = makePfx('e2e-day-used', PASSWORD, 365, LONG_ORG);
const spare = makePfx('e2e-day-spare', PASSWORD);
const soon = makePfx('e2e-day-soon', PASSWORD, 12);

/** A PFX whose key, certificates and MAC each take 3,000,000 PBKDF2 rounds (OpenSSL 3: -iter applies to all three). */
function slowPfx(dir: string): Buffer {
  const key = path.join(dir, 'slow.key');
  const crt = path.join(dir, 'slow.crt');
  const out = path.join(dir, 'slow.pfx');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-keyout', key, '-out', crt, '-days', '30', '-subj', '/CN=e2e-day-slow'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', out, '-passout', `pass:${PASSWORD}`, '-iter', '3000000'], { stdio: 'ignore' });
  return readFileSync(out);
}

let slow: Buffer;

beforeAll(async () => {
  ensureRendererBuilt();
  const work = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-day-'));
  folders.push(work);
  slow = slowPfx(work);
  [consoleUrl = ''] = await startCli(['serve', '--data-dir', path.join(work, 'data'), '--port', '0', '--admin-port', '0'], [/Console: (http:\/\/\S+#token=\S+)/]);
  admin = adminOf(consoleUrl);
  for (const [id, file] of [['e2e-day-used', used], ['e2e-day-spare', spare], ['e2e-day-soon', soon]] as const) {
    await admin.rpc('certificates.upload', { id, data: file.pfx.toString('base64'), password: PASSWORD, fileName: `${id}.pfx` });
  }
  await admin.rpc('apis.create', { id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://127.0.0.1:9' });
  await admin.rpc('security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'e2e-day-used' } });
  await admin.rpc('apis.create', { id: 'billing', displayName: 'Billing', path: 'billing', serviceUrl: 'https://127.0.0.1:9' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(children.map(stop));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.each([
  { lang: 'en', locale: 'en-US', messages: en as Messages },
  { lang: 'fr', locale: 'fr-FR', messages: fr },
])('Certificates in an operator day ($lang)', ({ lang, locale, messages }) => {
  const t = translator(messages, locale);
  const problems: string[] = [];
  let context: BrowserContext;
  let page: Page;

  /** axe-core on the page, then a screenshot. */
  const check = (name: string): Promise<void> => checkPage(page, lang, name);

  async function openCertificates(): Promise<void> {
    await page.goto(`${admin.origin}/#/security/client-certificates`);
    await page.getByRole('table', { name: t('certs.title') }).waitFor();
  }

  async function openUpload(file: { name: string; buffer: Buffer }) {
    await page.getByRole('button', { name: t('certs.upload') }).first().click();
    const dialog = page.getByRole('dialog', { name: t('upload.title') });
    await dialog.getByLabel(t('upload.file')).setInputFiles({ ...file, mimeType: 'application/x-pkcs12' });
    await dialog.getByLabel(t('upload.password'), { exact: true }).fill(PASSWORD);
    return dialog;
  }

  beforeAll(async () => {
    context = await browser.newContext({ locale, colorScheme: 'light', viewport: { width: 1024, height: 700 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: admin.origin });
    page = await context.newPage();
    page.on('console', (m) => {
      const expected = /^Failed to load resource: the server responded with a status of (4|5)\d\d|'frame-ancestors' is ignored when delivered via a <meta> element/;
      if (m.type() === 'error' && !expected.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    // The printed link stores the token for the session; later visits use the plain URL.
    await page.goto(consoleUrl);
    await page.waitForFunction(() => !window.location.href.includes('token='));
  }, 120_000);

  afterAll(async () => context?.close());

  for (const size of SIZES) {
    it(`lays the table out at ${size.width}x${size.height}: columns apart, dates on one line, "Not used" whole, subjects truncated with the full text on hover`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await openCertificates();
      const table = page.getByRole('table', { name: t('certs.title') });
      const layout = await table.evaluate((el) => {
        const boxes = [...el.querySelectorAll('thead th')].map((th) => {
          const r = th.getBoundingClientRect();
          const label = th.querySelector('button, span, div') ?? th;
          return { left: r.left, right: r.right, labelRight: (label as HTMLElement).getBoundingClientRect().right, text: th.textContent };
        });
        const dates = [...el.querySelectorAll('tbody time')].map((time) => {
          const style = getComputedStyle(time);
          return time.getBoundingClientRect().height / parseFloat(style.lineHeight || '20');
        });
        const clipped = [...el.querySelectorAll('tbody td')].filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent);
        // Each row's action buttons on one line: one distinct top per row.
        const actionLines = [...el.querySelectorAll('tbody tr')].map((tr) => new Set([...tr.querySelectorAll('td:last-child button')].map((b) => Math.round(b.getBoundingClientRect().top))).size);
        const subjectWidth = el.querySelector('thead th')?.getBoundingClientRect().width ?? 0;
        const main = document.getElementById('main');
        return { boxes, dates, clipped, actionLines, subjectWidth, overflow: main ? main.scrollWidth - main.clientWidth : 0 };
      });
      for (let i = 1; i < layout.boxes.length; i++) {
        const [before, after] = [layout.boxes[i - 1], layout.boxes[i]];
        expect(before && after && before.labelRight <= after.left + 1, `${before?.text} overlaps ${after?.text}`).toBe(true);
      }
      for (const lines of layout.dates) expect(lines).toBeLessThan(1.5);
      expect(layout.actionLines.length).toBeGreaterThan(0);
      for (const lines of layout.actionLines) expect(lines, 'row actions on one line').toBe(1);
      // The subject keeps room for a name (it was squeezed to "e…" at 1024 when the actions took a quarter).
      expect(layout.subjectWidth, JSON.stringify(layout.boxes)).toBeGreaterThanOrEqual(120);
      expect(layout.clipped).toEqual([]);
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(await page.locator('tr[data-certificate-id="e2e-day-spare"]').getByText(t('certs.notUsed'), { exact: true }).count()).toBe(1);

      // The long subject is cut with an ellipsis; hovering shows it whole (its title).
      const subject = page.locator('tr[data-certificate-id="e2e-day-used"] .cg-subject');
      expect(await subject.getAttribute('title')).toContain(LONG_ORG);
      const full = subject.locator('.cg-subject-full');
      expect(await full.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
      if (size.width === 1024) expect(await full.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await check(`day-table-${size.name}`);
    });
  }

  it('copies a thumbprint from the details', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openCertificates();
    await page.getByRole('button', { name: t('certs.detailsLabel', { name: 'e2e-day-spare' }) }).click();
    const dialog = page.getByRole('dialog', { name: t('details.title') });
    await dialog.getByRole('button', { name: t('copy.thumbprint') }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(spare.thumbprint);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('a duplicate names the stored certificate, takes focus, and Replace works from there', async () => {
    const dialog = await openUpload({ name: 'again.pfx', buffer: used.pfx });
    await dialog.getByRole('button', { name: t('upload.submit'), exact: true }).click();
    const notice = dialog.getByTestId('duplicate-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(t('duplicate.title', { id: 'e2e-day-used' }));
    expect(await notice.textContent()).toContain(used.thumbprint.slice(-4));
    await expect.poll(() => notice.evaluate((n) => n === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement) && document.activeElement !== document.body)).toBe(true);
    await check('day-duplicate');
    await notice.getByRole('button', { name: t('duplicate.replace', { id: 'e2e-day-used' }) }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.fui-ToastTitle', { hasText: t('certs.replaced', { name: 'e2e-day-used' }) }).waitFor();
  });

  it('inspects a file before uploading it', async () => {
    const dialog = await openUpload({ name: 'spare.pfx', buffer: spare.pfx });
    await dialog.getByRole('button', { name: t('inspect.button'), exact: true }).click();
    const region = dialog.getByRole('region', { name: t('inspect.title') });
    await region.waitFor();
    expect(await region.textContent()).toContain('CN=e2e-day-spare');
    expect(await region.textContent()).toContain('RSA 2048');
    await check('day-inspect');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('a slow file says how many rounds it checks, the window stays responsive, and Cancel stores nothing', async () => {
    const dialog = await openUpload({ name: 'slow.pfx', buffer: slow });
    await dialog.getByRole('button', { name: t('upload.submit'), exact: true }).click();
    const status = dialog.getByTestId('parse-status');
    await expect.poll(() => status.textContent()).toBe(t('upload.checkingRounds.other', { count: 9_000_000 }));
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - started).toBeLessThan(1000);
    // A picture of the state (axe has checked this dialog in its other states): the parse must still be running.
    await page.screenshot({ path: path.join(SCREENSHOTS, lang, 'day-slow-file.png') });
    await dialog.getByRole('button', { name: t('common.cancel') }).click();
    await dialog.waitFor({ state: 'detached' });
    // As long again as the whole parse: had the upload gone on, it would be stored by now.
    expect((await admin.call('certificates.inspect', { data: slow.toString('base64'), password: PASSWORD })).ok).toBe(true);
    const list = await admin.call<{ subject: string }[]>('certificates.list', {});
    expect(list.value?.some((c) => c.subject.includes('e2e-day-slow'))).toBe(false);
  }, 120_000);

  it('the first delete dialog already says the certificate is in use, and takes focus', async () => {
    await page.getByRole('button', { name: t('certs.deleteLabel', { name: 'e2e-day-used' }) }).click();
    const dialog = page.getByRole('dialog', { name: t('delete.inUseTitle') });
    await dialog.waitFor();
    expect(await dialog.getByText(t('delete.inUseFirstBody')).count()).toBe(1);
    expect(await dialog.getByRole('button', { name: t('common.yesDelete') }).count()).toBe(0);
    await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await check('day-delete-in-use');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('the Security tab warns before saving a certificate that expires soon; "Save anyway" saves it', async () => {
    await page.goto(`${admin.origin}/#/apis/billing/security`);
    await page.getByRole('combobox', { name: t('security.withCredentials') }).click();
    await page.getByRole('option', { name: t('security.certificate') }).click();
    await page.getByRole('combobox', { name: t('security.clientCertificate') }).click();
    await page.getByRole('option', { name: new RegExp(`^e2e-day-soon, `) }).click();
    await page.getByRole('button', { name: t('common.save'), exact: true }).click();
    const warning = page.getByTestId('expiry-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(t('expiryGuard.soonTitle', { name: 'e2e-day-soon', last4: soon.thumbprint.slice(-4) }));
    await expect.poll(() => warning.evaluate((w) => w === document.activeElement)).toBe(true);
    await check('day-expiry-warning');
    await warning.getByRole('button', { name: t('expiryGuard.saveAnyway') }).click();
    await page.getByText(t('security.savedCertificate', { name: 'e2e-day-soon' })).waitFor();
    await admin.rpc('security.set', { apiId: 'billing', security: { type: 'none' } });
  });

  it('ran without a CSP violation or an uncaught error', () => {
    expect(problems).toEqual([]);
  });
});
