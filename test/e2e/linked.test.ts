/**
 * Linked certificates end to end (issue 14), in real Chromium against `certgate serve` as a subprocess and a
 * real mTLS back end: the console links a file on the serving machine (browser mode: its path and password);
 * renewals renamed in go live through the gateway, and the page and the traffic of a real call show the new
 * version (the renewal-to-live delay is measured and printed, median of three); then the server is killed
 * (SIGKILL) and started again on the same data folder, the file is renewed once more, and the link still follows.
 * One browser, one page: CI time matters.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { createTestPki, type CertFiles, type TestPki } from '../helpers/pki';
import { startBackend, type Echo, type TestBackend } from '../main/core/gateway/helpers';
import { type Admin, adminOf, children, ensureRendererBuilt, folders, launchChromium, SCREENSHOTS, startCli, stop } from './harness';

const PASSWORD = 'linked-pw';
const SHOTS = path.join(SCREENSHOTS, 'en');

let pki: TestPki;
let backend: TestBackend;
let browser: Browser;
let page: Page;
let work: string;
let linked: string;
const versions: CertFiles[] = [];
const server = { console: '', admin: null as Admin | null, gateway: '', child: null as ChildProcess | null };

/** Start `certgate serve` on the test's data folder and remember its URLs. */
async function serve(): Promise<void> {
  const [consoleUrl = '', gateway = ''] = await startCli(
    ['serve', '--data-dir', path.join(work, 'data'), '--port', '0', '--admin-port', '0'],
    [/Console: (http:\/\/\S+#token=\S+)/, /Gateway: (http:\/\/\S+)/],
  );
  Object.assign(server, { console: consoleUrl, admin: adminOf(consoleUrl), gateway, child: children.at(-1) ?? null });
}

/** Call an operation over the admin API, as the console does; a refusal throws. */
function rpc<T>(name: string, input: unknown): Promise<T> {
  if (!server.admin) throw new Error('certgate serve is not running');
  return server.admin.rpc<T>(name, input);
}

/** One real call through the gateway: the thumbprint the back end saw. */
async function presented(): Promise<string> {
  const response = await fetch(`${server.gateway}/linked/ping`);
  return response.status === 200 ? ((await response.json()) as Echo).thumbprint ?? 'none' : `status ${response.status}`;
}

/** Renew the way tools do (a new file renamed over the linked one); resolves with the delay until the gateway presents it. */
async function renew(next: CertFiles): Promise<number> {
  const pfx = await pki.exportPfx(next, { password: PASSWORD });
  const temp = path.join(path.dirname(linked), `.incoming-${next.name}`);
  await copyFile(pfx.path, temp);
  const started = performance.now();
  await rename(temp, linked);
  const deadline = started + 15_000;
  while (performance.now() < deadline) {
    if ((await presented()) === next.thumbprint) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`The gateway did not present ${next.name} within 15 s of its rename`);
}

beforeAll(async () => {
  ensureRendererBuilt();
  work = await mkdtemp(path.join(tmpdir(), 'certgate-e2e-linked-'));
  folders.push(work);
  pki = await createTestPki();
  for (let i = 1; i <= 5; i++) versions.push(await pki.issueClient({ cn: `linked v${i}`, days: 30 + i }));
  linked = path.join(work, 'certs', 'client.pfx');
  await mkdir(path.dirname(linked));
  await mkdir(SHOTS, { recursive: true });
  await copyFile((await pki.exportPfx(versions[0]!, { password: PASSWORD })).path, linked);
  backend = await startBackend(pki);
  await serve();
  await rpc('caCertificates.upload', { id: 'test-ca', pem: pki.ca.certPem });
  await rpc('apis.create', { id: 'linked', displayName: 'Linked API', path: 'linked', serviceUrl: backend.url, backendTls: { trustedCaCertificateIds: ['test-ca'] } });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(children.map(stop));
  await backend?.close();
  await pki?.remove();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('A linked certificate follows its file through the real gateway', () => {
  const row = () => page.locator('tr[data-certificate-id="client"]');

  it('links a file in browser mode: its path on the serving machine and its password', async () => {
    await page.goto(server.console);
    await page.waitForFunction(() => !window.location.href.includes('token='));
    await page.goto(`${server.admin?.origin}/#/security/client-certificates`);
    await page.getByRole('button', { name: en['link.open'] }).first().click();
    const dialog = page.getByRole('dialog', { name: en['link.title'] });
    await dialog.getByRole('textbox', { name: en['link.file'] }).fill(linked);
    await dialog.getByRole('textbox', { name: en['link.id'] }).fill('client');
    await dialog.getByLabel(en['link.password']).fill(PASSWORD);
    await dialog.getByRole('button', { name: en['link.submit'], exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row().getByRole('img', { name: `client follows ${linked}: in sync` }).count()).toBe(1);
    await rpc('security.set', { apiId: 'linked', security: { type: 'certificate', certificateId: 'client' } });
    expect(await presented()).toBe(versions[0]!.thumbprint);
  });

  it('renewals renamed in go live within 15 s; the page and the traffic of a real call show the new version', async () => {
    const delays: number[] = [];
    for (const next of versions.slice(1, 4)) delays.push(await renew(next));
    const sorted = [...delays].sort((a, b) => a - b);
    console.info(`Renewal to live through the gateway (ms): ${delays.map((d) => Math.round(d)).join(', ')}; median ${Math.round(sorted[1]!)}`);
    // The page follows by its event stream: the row shows version 4's thumbprint, three kept versions beside it.
    await expect.poll(() => row().textContent(), { timeout: 10_000 }).toContain(versions[3]!.thumbprint.slice(-4));
    for (const old of ['client-v1', 'client-v2', 'client-v3']) await page.locator(`tr[data-certificate-id="${old}"]`).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'linked-table.png') });
    // The details name the file, its state and version 4.
    await row().getByRole('button', { name: en['certs.detailsLabel'].replace('{name}', 'linked v4') }).click();
    const details = page.getByRole('dialog', { name: en['details.title'] });
    const section = details.getByRole('region', { name: en['link.section'] });
    await expect.poll(() => section.textContent()).toContain(linked);
    expect(await section.textContent()).toMatch(/in sync.*Version4/);
    await page.screenshot({ path: path.join(SHOTS, 'linked-details.png'), fullPage: true });
    await details.getByRole('button', { name: en['common.close'] }).click();
    await page.goto(`${server.admin?.origin}/#/gateway`);
    const traffic = page.getByRole('table', { name: en['gateway.traffic'] });
    await expect.poll(() => traffic.textContent(), { timeout: 10_000 }).toContain(`client-v4 …${versions[3]!.thumbprint.slice(-4)}`);
    // Calls just before the last switch presented version 3: both show, each with its own thumbprint.
    expect(await traffic.textContent()).toContain(`client-v3 …${versions[2]!.thumbprint.slice(-4)}`);
    await page.screenshot({ path: path.join(SHOTS, 'linked-traffic.png') });
  });

  it('survives a restart of certgate serve: killed, started again on the same data folder, the next renewal still goes live', async () => {
    // Killed outright (SIGKILL: no clean shutdown, the lock file left behind), then started again.
    const child = server.child!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await serve();
    expect(await presented()).toBe(versions[3]!.thumbprint);
    const delay = await renew(versions[4]!);
    console.info(`Renewal to live after a restart (ms): ${Math.round(delay)}`);
    const certificate = await rpc<{ version: number; thumbprint: string; source: { state: string } }>('certificates.get', { id: 'client' });
    expect(certificate).toMatchObject({ version: 5, thumbprint: versions[4]!.thumbprint, source: { state: 'ok' } });
    await page.goto(server.console);
    await page.waitForFunction(() => !window.location.href.includes('token='));
    await page.goto(`${server.admin?.origin}/#/gateway`);
    await expect
      .poll(() => page.getByRole('table', { name: en['gateway.traffic'] }).textContent(), { timeout: 10_000 })
      .toContain(`client-v5 …${versions[4]!.thumbprint.slice(-4)}`);
  });
});
