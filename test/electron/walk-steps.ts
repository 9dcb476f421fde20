/**
 * The release walk's steps, on a page showing the CertGate console: upload a certificate → secure an API
 * with it → see it in the policy → deletion refused while in use. The packaged app runs them in its window
 * (test/electron/walk.test.ts, release workflow only); test/e2e/release-walk.test.ts runs the same steps
 * against `certgate serve` in Chromium, so the labels and the flow are proven wherever the tests run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { en, type MessageKey } from '../../renderer/i18n/en';

const PASSWORD = 'walk-s3cret';
const CERT = 'walk-client';
const API = 'Walk API';

/** What the steps work on: the console's page, the data folder's store file, the certificate uploaded. */
export interface Walk {
  readonly page: Page;
  /** certgate.json of the data folder the console runs on: the steps check what was written. */
  readonly dataFile: string;
  readonly client: { readonly pfx: Buffer; readonly thumbprint: string };
}

/** The console's English words, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Readonly<Record<string, string>> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** A self-signed client certificate (RSA 2048, a year) as a password-protected PFX, and its thumbprint. */
export function makePfx(commonName: string, password: string): { pfx: Buffer; thumbprint: string } {
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

/** The walk's client certificate. */
export function walkCertificate(): Walk['client'] {
  return makePfx(CERT, PASSWORD);
}

/** Client certificates → Upload certificate → the file and its password → the row with the last four. */
export async function uploadCertificate(walk: Walk): Promise<void> {
  const { page, dataFile, client } = walk;
  const nav = page.getByRole('navigation', { name: t('nav.label') });
  await nav.getByRole('link', { name: new RegExp(`^${t('certs.title')}`) }).click();
  await page.getByRole('button', { name: t('certs.upload') }).first().click();
  const dialog = page.getByRole('dialog', { name: t('certs.upload') });
  await dialog.getByLabel(t('upload.file')).setInputFiles({ name: `${CERT}.pfx`, mimeType: 'application/x-pkcs12', buffer: client.pfx });
  await dialog.getByLabel(t('upload.password'), { exact: true }).fill(PASSWORD);
  await dialog.getByRole('button', { name: t('upload.submit'), exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: CERT }).filter({ hasText: client.thumbprint.slice(-4) }).first().waitFor();
  expect(readFileSync(dataFile, 'utf8')).toContain(client.thumbprint);
}

/** APIs → Add API → Security: Mutual certificates with the certificate → Save; the policy shows it. */
export async function secureApiWithCertificate(walk: Walk): Promise<void> {
  const { page, dataFile, client } = walk;
  const policyInStore = `certificate-id=\\"${CERT}\\"`;
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
  expect(readFileSync(dataFile, 'utf8')).toContain(policyInStore);
}

/** Delete the certificate: refused while the API uses it, the API named; the certificate stays. */
export async function deleteRefusedWhileInUse(walk: Walk): Promise<void> {
  const { page, dataFile, client } = walk;
  await page.getByRole('navigation', { name: t('nav.label') }).getByRole('link', { name: new RegExp(`^${t('certs.title')}`) }).click();
  await page.getByRole('button', { name: t('certs.deleteLabel', { name: CERT }) }).click();
  // The first dialog may already say it is in use; otherwise "Yes, delete it" leads to the refusal.
  const yes = page.getByRole('dialog').getByRole('button', { name: 'Yes, delete it' });
  const inUse = page.getByRole('dialog', { name: t('delete.inUseTitle') });
  await Promise.race([yes.waitFor(), inUse.waitFor()]);
  if (!(await inUse.isVisible()) && (await yes.isVisible())) await yes.click();
  await inUse.waitFor();
  expect(await inUse.getByText(API).count()).toBeGreaterThan(0);
  await inUse.getByRole('button', { name: t('common.close'), exact: true }).click();
  await inUse.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: CERT }).first().waitFor();
  expect(readFileSync(dataFile, 'utf8')).toContain(client.thumbprint);
}
