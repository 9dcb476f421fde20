/**
 * Operations in the console (issue 15), in real Chromium against one `certgate serve`, in English and French:
 * import the Petstore description (file, preview, import), see its operations, give one operation its own client
 * certificate in its policy (the composed policy shows it; the list says "Own credential" with the last four
 * characters; the core's operations.policies agrees), and the policy for all APIs. axe-core checks each state;
 * screenshots at 1024x700 and 1920x1080 go to test-results/screenshots/<lang>/operations-*.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type MessageKey, type Messages } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { makeClientPfx } from '../helpers/openssl';
import { type Admin, adminOf, checkPage, children, ensureRendererBuilt, folders, launchChromium, ROOT, startCli, stop, translator } from './harness';

const PETSTORE = readFileSync(path.join(ROOT, 'test/fixtures/openapi/petstore.yaml'));
const PASSWORD = 'e2e-ops';

let browser: Browser;
let consoleUrl = '';
let admin: Admin;
const certificates = new Map<string, { id: string; thumbprint: string }>();

beforeAll(async () => {
  ensureRendererBuilt();
  const work = mkdtempSync(path.join(tmpdir(), 'certgate-e2e-ops-'));
  folders.push(work);
  [consoleUrl = ''] = await startCli(['serve', '--data-dir', path.join(work, 'data'), '--port', '0', '--admin-port', '0'], [/Console: (http:\/\/\S+#token=\S+)/]);
  admin = adminOf(consoleUrl);
  for (const name of ['e2e-ops-api', 'e2e-ops-pets']) {
    const made = makeClientPfx(work, name, PASSWORD, { days: 365 });
    const up = await admin.rpc<{ certificate: { id: string; thumbprint: string } }>('certificates.upload', { id: name, data: made.pfx.toString('base64'), password: PASSWORD, fileName: `${name}.pfx` });
    certificates.set(name, up.certificate);
  }
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(children.map(stop));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.each([
  { lang: 'en', locale: 'en-US', messages: en as Messages },
  { lang: 'fr', locale: 'fr-FR', messages: fr },
])('Operations in the console ($lang)', ({ lang, locale, messages }) => {
  const t = translator(messages, locale);
  const tn = (key: string, count: number, params: Readonly<Record<string, string | number>> = {}) =>
    t(`${key}.${new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other'}` as MessageKey, { count, ...params });
  const apiId = `petstore-${lang}`;
  const problems: string[] = [];
  let context: BrowserContext;
  let page: Page;

  /** axe-core on the page, then a screenshot. */
  const check = (name: string): Promise<void> => checkPage(page, lang, name);

  beforeAll(async () => {
    context = await browser.newContext({ locale, colorScheme: 'light', viewport: { width: 1024, height: 700 } });
    page = await context.newPage();
    page.on('console', (m) => {
      const expected = /^Failed to load resource: the server responded with a status of (4|5)\d\d|'frame-ancestors' is ignored when delivered via a <meta> element/;
      if (m.type() === 'error' && !expected.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(consoleUrl);
    await page.waitForFunction(() => !window.location.href.includes('token='));
  }, 120_000);

  afterAll(async () => context?.close());

  it('imports the Petstore from a file: the preview lists three operations, nothing stored until Import', async () => {
    await page.goto(`${admin.origin}/#/apis`);
    await page.getByRole('button', { name: t('apis.import') }).click();
    const dialog = page.getByRole('dialog', { name: t('openapi.title') });
    await dialog.getByLabel(t('openapi.file')).setInputFiles({ name: 'petstore.yaml', mimeType: 'application/yaml', buffer: PETSTORE });
    await dialog.getByLabel(t('apis.path')).fill(apiId);
    await dialog.getByLabel(t('openapi.id')).fill(apiId);
    await dialog.getByLabel(t('openapi.serviceUrlOverride')).fill('https://127.0.0.1:9');
    await dialog.getByRole('button', { name: t('openapi.preview') }).click();
    const preview = dialog.getByTestId('import-preview');
    await preview.getByText(tn('openapi.created', 3), { exact: true }).waitFor();
    expect(await preview.getByRole('list').first().textContent()).toBe('listPetscreatePetsshowPetById');
    expect((await admin.rpc<{ id: string }[]>('apis.list', {})).map((a) => a.id)).not.toContain(apiId);
    await check('operations-import-preview-1024');

    await dialog.getByRole('button', { name: t('openapi.import') }).click();
    await page.waitForURL(new RegExp(`#/apis/${apiId}/operations$`));
    const table = page.getByRole('table', { name: t('operations.title') });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    await table.getByText('/pets/{petId}', { exact: true }).waitFor();
  });

  it("gives one operation its own certificate: the composed policy and the list show it, and the core agrees", async () => {
    const pets = certificates.get('e2e-ops-pets');
    await page.goto(`${admin.origin}/#/apis/${apiId}/operations/showPetById`);
    const editor = page.getByRole('textbox', { name: t('operations.policyEditor', { name: 'Info for a specific pet' }) });
    await editor.waitFor();
    // The stored policy must be in the editor before typing: a load landing after the keystrokes would replace them.
    await expect.poll(() => editor.textContent()).toContain('<base />');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(
      `<policies>\n  <inbound>\n    <base />\n    <authentication-certificate certificate-id="${pets?.id}" />\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>\n`,
    );
    await page.getByText(t('policy.unsaved')).waitFor();
    await page.getByRole('button', { name: t('common.save'), exact: true }).click();
    await page.getByText(t('policy.saved')).waitFor();
    const effective = page.getByRole('textbox', { name: t('policy.effective') });
    await expect.poll(() => effective.textContent()).toContain(`certificate-id="${pets?.id}"`);
    await check('operations-own-certificate-1024');

    const summaries = await admin.rpc<{ operationId: string; own: boolean; security: { type: string; certificateId?: string } }[]>('operations.policies', { apiId });
    expect(summaries.find((s) => s.operationId === 'showPetById')).toMatchObject({ own: true, security: { type: 'certificate', certificateId: pets?.id } });
    expect(summaries.find((s) => s.operationId === 'listPets')).toMatchObject({ own: false, security: { type: 'none' } });

    await page.getByRole('link', { name: t('operations.back') }).click();
    const row = page.locator('tr[data-operation-id="showPetById"]');
    await row.getByText(t('operations.ownCredential')).waitFor();
    expect(await row.locator('strong.cg-thumbprint-last4').textContent()).toBe(pets?.thumbprint.slice(-4));
    await check('operations-list-1024');
  });

  it('lays out the list, an operation and the policy for all APIs at 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${admin.origin}/#/apis/${apiId}/operations`);
    await page.getByRole('table', { name: t('operations.title') }).waitFor();
    await page.locator('tr[data-operation-id="showPetById"]').getByText(t('operations.ownCredential')).waitFor();
    await check('operations-list-1920');
    await page.goto(`${admin.origin}/#/apis/${apiId}/operations/showPetById`);
    const effective = page.getByRole('textbox', { name: t('policy.effective') });
    await expect.poll(() => effective.textContent()).toContain('authentication-certificate');
    // Wide enough: the operation's own policy and the composed one side by side.
    const own = await page.getByTestId('policy-editor').boundingBox();
    const composed = await page.getByTestId('xml-viewer').boundingBox();
    expect(own && composed && composed.x > own.x + own.width - 1).toBe(true);
    await check('operations-own-certificate-1920');
    await page.goto(`${admin.origin}/#/policies`);
    await page.getByRole('textbox', { name: t('globalPolicy.editor') }).waitFor();
    await check('operations-global-policy-1920');
    await page.setViewportSize({ width: 1024, height: 700 });
    expect(problems).toEqual([]);
  });
});
