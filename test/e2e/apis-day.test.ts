/**
 * The APIs pages in an operator's day (issue 13), in real Chromium against one `certgate serve`, in English and
 * French, at 1024x700 (the window's narrowest) and 1920x1080: the APIs list's Credentials column (None, Basic, the
 * certificate by subject and last four with its expiry state); the Security tab's unsaved-changes marker and its
 * warning before an expired certificate is saved; the policy editor's hover card on a `certificate-id`; the
 * gateway URL card on one line; and, in French, a narrow no-break space (U+202F) before `:` `;` `?` `!`.
 * axe-core checks each state; screenshots go to test-results/screenshots/<lang>/apis-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type Messages } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { type Admin, adminOf, checkPage, children, ensureRendererBuilt, folders, launchChromium, makePfx, startCli, stop, translator } from './harness';

const PASSWORD = 'e2e-apis';
const NARROW_NBSP = '\u202f';
const SIZES = [
  { name: '1024', width: 1024, height: 700 },
  { name: '1920', width: 1920, height: 1080 },
] as const;

const fresh = makePfx('e2e-apis-fresh', PASSWORD, 365);
const soon = makePfx('e2e-apis-soon', PASSWORD, 12);
const old = makePfx('e2e-apis-old', PASSWORD, -3);

let browser: Browser;
let consoleUrl = '';
let admin: Admin;

beforeAll(async () => {
  ensureRendererBuilt();
  const work = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-apis-'));
  folders.push(work);
  [consoleUrl = ''] = await startCli(['serve', '--data-dir', path.join(work, 'data'), '--port', '0', '--admin-port', '0'], [/Console: (http:\/\/\S+#token=\S+)/]);
  admin = adminOf(consoleUrl);
  for (const [id, file] of [['e2e-apis-fresh', fresh], ['e2e-apis-soon', soon], ['e2e-apis-old', old]] as const) {
    await admin.rpc('certificates.upload', { id, data: file.pfx.toString('base64'), password: PASSWORD, fileName: `${id}.pfx` });
  }
  // One API per kind of credential: none, Basic, a certificate that expires soon, one that has expired.
  for (const [id, displayName] of [['open', 'Open data'], ['billing', 'Billing'], ['orders', 'Orders'], ['legacy', 'Legacy']] as const) {
    await admin.rpc('apis.create', { id, displayName, path: id, serviceUrl: 'https://127.0.0.1:9' });
  }
  await admin.rpc('security.set', { apiId: 'billing', security: { type: 'basic', username: 'svc', password: 'pw' } });
  await admin.rpc('security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'e2e-apis-soon' } });
  await admin.rpc('security.set', { apiId: 'legacy', security: { type: 'certificate', certificateId: 'e2e-apis-old' } });
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
])('APIs in an operator day ($lang)', ({ lang, locale, messages }) => {
  const t = translator(messages, locale);
  const problems: string[] = [];
  let context: BrowserContext;
  let page: Page;

  /** axe-core on the page, then a screenshot. */
  const check = (name: string): Promise<void> => checkPage(page, lang, name);

  /**
   * French typography on what the window shows now: no plain or no-break space before `:` `;` `?` `!` (the
   * narrow no-break space U+202F goes there). English has no space there at all.
   */
  async function expectTypography(where: string): Promise<void> {
    const text = await page.evaluate(() => document.body.innerText);
    const wrong = [...text.matchAll(/.{0,24}[ \u00a0][:;?!].{0,12}/g)].map((m) => m[0]);
    expect(wrong, `a plain space before : ; ? ! on ${lang}/${where}`).toEqual([]);
  }

  /** The Credentials cell of the APIs list's row named `name`. */
  function credentialsOf(name: string) {
    return page.getByRole('table', { name: t('apis.title') }).locator('tr', { has: page.getByRole('link', { name, exact: true }) }).locator('td').nth(3);
  }

  beforeAll(async () => {
    context = await browser.newContext({ locale, colorScheme: 'light', viewport: { width: 1024, height: 700 } });
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
    it(`lists each API's credentials at ${size.width}x${size.height}: None, Basic, the certificate by subject and last four with its expiry`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${admin.origin}/#/apis`);
      const table = page.getByRole('table', { name: t('apis.title') });
      await table.waitFor();
      expect(await table.locator('thead th').nth(3).textContent()).toBe(t('apis.col.credentials'));
      await expect.poll(() => credentialsOf('Orders').textContent()).toContain('e2e-apis-soon');

      expect(await credentialsOf('Open data').textContent()).toBe(t('security.none'));
      expect(await credentialsOf('Billing').textContent()).toBe(t('apis.credentials.basic', { username: 'svc' }));
      for (const [name, file, subject, expiry] of [
        ['Orders', soon, 'e2e-apis-soon', 'soon'],
        ['Legacy', old, 'e2e-apis-old', 'expired'],
      ] as const) {
        const cell = credentialsOf(name);
        expect(await cell.textContent()).toContain(subject);
        expect(await cell.locator('strong.cg-thumbprint-last4').textContent()).toBe(file.thumbprint.slice(-4));
        expect(await cell.locator('[data-expiry]').getAttribute('data-expiry')).toBe(expiry);
        const prefix = (expiry === 'soon' ? t('certs.expiresIn', { when: '' }) : t('certs.expired', { when: '' })).trim();
        expect(await cell.textContent()).toContain(prefix);
      }
      // The whole column fits: no cell cut off, no sideways scrolling.
      const clipped = await table.evaluate((el) => [...el.querySelectorAll('tbody td')].filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
      expect(clipped).toEqual([]);
      if (lang === 'fr') await expectTypography(`apis-list-${size.name}`);
      await check(`apis-list-${size.name}`);
    });

    it(`shows the gateway URL on one line at ${size.width}x${size.height}, never wrapped inside the port`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${admin.origin}/#/gateway`);
      const url = page.getByTestId('gateway-url');
      await url.waitFor();
      expect(await url.textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const box = await url.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return { lines: range.getClientRects().length, height: el.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(el).lineHeight), clipped: el.scrollWidth > el.clientWidth + 1 };
      });
      expect(box.lines, JSON.stringify(box)).toBe(1);
      expect(box.height, JSON.stringify(box)).toBeLessThan(box.lineHeight * 1.5);
      expect(box.clipped, 'the URL is shown whole').toBe(false);
      if (lang === 'fr') {
        const status = page.getByRole('status', { name: t('status.label') });
        await expect.poll(() => status.textContent()).toContain(`Passerelle${NARROW_NBSP}: ${t('gateway.state.running')}`);
        await expectTypography(`apis-gateway-${size.name}`);
      }
      await check(`apis-gateway-${size.name}`);
    });

    it(`marks the Security tab's unsaved changes at ${size.width}x${size.height}, and warns before an expired certificate is saved`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${admin.origin}/#/apis/open/security`);
      const save = page.getByRole('button', { name: t('common.save'), exact: true });
      await save.waitFor();
      const unsaved = page.getByTestId('security-unsaved');
      expect(await unsaved.count()).toBe(0);

      await page.getByRole('combobox', { name: t('security.withCredentials') }).click();
      await page.getByRole('option', { name: t('security.certificate') }).click();
      await unsaved.waitFor();
      expect(await unsaved.textContent()).toBe(t('policy.unsaved'));
      await page.getByRole('combobox', { name: t('security.clientCertificate') }).click();
      await page.getByRole('option', { name: /^e2e-apis-fresh, / }).click();
      if (lang === 'fr') await expectTypography(`apis-security-unsaved-${size.name}`);
      await check(`apis-security-unsaved-${size.name}`);
      await save.click();
      await page.getByText(t('security.savedCertificate', { name: 'e2e-apis-fresh' })).waitFor();
      await unsaved.waitFor({ state: 'detached' });

      // An expired certificate: the warning comes when Save is pressed, and nothing is saved meanwhile.
      await page.getByRole('combobox', { name: t('security.clientCertificate') }).click();
      await page.getByRole('option', { name: /^e2e-apis-old, / }).click();
      await unsaved.waitFor();
      await save.click();
      const warning = page.getByTestId('expiry-warning');
      await warning.waitFor();
      expect(await warning.textContent()).toContain(t('expiryGuard.expiredTitle', { name: 'e2e-apis-old', last4: old.thumbprint.slice(-4) }));
      await expect.poll(() => warning.evaluate((w) => w === document.activeElement)).toBe(true);
      expect(await unsaved.count()).toBe(1);
      const stored = await admin.rpc<{ type: string; certificateId?: string }>('security.get', { apiId: 'open' });
      expect(stored).toMatchObject({ type: 'certificate', certificateId: 'e2e-apis-fresh' });
      if (lang === 'fr') await expectTypography(`apis-security-expired-${size.name}`);
      await check(`apis-security-expired-${size.name}`);
      await admin.rpc('security.set', { apiId: 'open', security: { type: 'none' } });
    });

    it(`shows the certificate when a certificate-id is hovered in the policy editor at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${admin.origin}/#/apis/orders/policies`);
      const editor = page.getByRole('textbox', { name: t('policy.editor') });
      await editor.waitFor();
      await expect.poll(() => editor.textContent()).toContain('certificate-id="e2e-apis-soon"');
      // The middle of the id's characters on screen (CodeMirror splits the line into highlighted spans).
      const point = await editor.evaluate((el) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf('e2e-apis-soon') ?? -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at + 2);
          range.setEnd(node, at + 10);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        return null;
      });
      expect(point).not.toBeNull();
      await page.mouse.move(point!.x - 40, point!.y);
      await page.mouse.move(point!.x, point!.y, { steps: 5 });
      const card = page.locator('.cg-certificate-hover');
      await card.waitFor();
      expect(await card.textContent()).toContain('e2e-apis-soon');
      expect(await card.textContent()).toContain('CN=e2e-apis-soon');
      expect(await card.locator('strong.cg-thumbprint-last4').textContent()).toBe(soon.thumbprint.slice(-4));
      expect(await card.locator('[data-expiry]').getAttribute('data-expiry')).toBe('soon');
      expect(await card.locator('[data-expiry]').textContent()).toContain(t('certs.expiresIn', { when: '' }).trim());
      await check(`apis-policy-hover-${size.name}`);
    });
  }

  if (lang === 'fr') {
    it('puts a narrow no-break space before the colon in the API page\'s gateway URL and the status bar', async () => {
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.goto(`${admin.origin}/#/apis/orders/settings`);
      const label = page.getByText(/^URL de la passerelle/);
      await label.waitFor();
      expect(await label.textContent()).toMatch(new RegExp(`^URL de la passerelle${NARROW_NBSP}: http://127\\.0\\.0\\.1:\\d+/orders$`));
      expect(await page.getByRole('status', { name: t('status.label') }).textContent()).toContain(`Passerelle${NARROW_NBSP}: `);
      await expectTypography('apis-settings');
      await check('apis-settings');
    });
  }

  it('ran without a CSP violation or an uncaught error', () => {
    expect(problems).toEqual([]);
  });
});
