/**
 * The certificates page in an operator's day (issue 13): a duplicate upload names the certificate it
 * duplicates and offers Replace there; focus after a refusal goes to the message or the field; a slow file
 * says what is happening and Cancel aborts the call; "Inspect" before upload; the delete dialog knows a
 * certificate is in use; copy buttons; long subjects truncate with the full text on hover.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCertificateBlob, FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

const PAGE = '#/security/client-certificates';
const LONG_SUBJECT = 'CN=payments-backend-client.internal.contoso.example,OU=Platform Engineering,O=Contoso Financial Services,L=Paris,C=FR';

function withCertificates(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 100 });
  client.addCertificate({ id: 'spare', subject: 'CN=spare,O=Contoso', thumbprint: makeThumbprint('CAFE'), expiresInDays: 200 });
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  return client;
}

function row(id: string): HTMLElement {
  const tr = within(main()).getByRole('table', { name: 'Client certificates' }).querySelector(`tr[data-certificate-id="${id}"]`);
  if (!(tr instanceof HTMLElement)) throw new Error(`no row for ${id}`);
  return tr;
}

async function openUpload(user: ReturnType<typeof renderApp>['user']): Promise<HTMLElement> {
  await user.click(await within(main()).findByRole('button', { name: 'Upload certificate' }));
  return screen.findByRole('dialog', { name: 'Upload certificate' });
}

describe('Certificates: duplicates', () => {
  it('names the certificate a file duplicates (id, subject, last four), focuses the notice, and replaces it from there', async () => {
    const client = withCertificates();
    const existing = client.certificates.get('client1');
    const { user } = renderApp(PAGE, client);
    const dialog = await openUpload(user);
    // The same certificate again (same thumbprint), with a new password.
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=client1,O=Contoso', thumbprint: existing?.thumbprint }));
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    const notice = await within(dialog).findByTestId('duplicate-notice');
    expect(notice.textContent).toContain('This duplicates client1');
    expect(notice.textContent).toContain('client1 is stored already: CN=client1,O=Contoso, thumbprint ending BEEF.');
    await waitFor(() => expect(document.activeElement).toBe(notice));

    await user.click(within(notice).getByRole('button', { name: 'Replace client1 with this file' }));
    await dialogClosed();
    expect(await screen.findByText('Certificate client1 replaced.')).toBeTruthy();
    expect(client.callsTo('certificates.upload').at(-1)).toMatchObject({ id: 'client1', replace: true });
    expect(client.certificates.size).toBe(2);
  });

  it('an id that is taken names the certificate holding it; "Show" opens its details', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=other,O=Contoso', thumbprint: makeThumbprint('0123') }));
    await user.type(within(dialog).getByRole('textbox', { name: /Id/ }), 'spare');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    const notice = await within(dialog).findByTestId('duplicate-notice');
    expect(notice.textContent).toContain('CN=spare,O=Contoso, thumbprint ending CAFE');
    await user.click(within(notice).getByRole('link', { name: 'Show spare' }));
    const details = await screen.findByRole('dialog', { name: 'Certificate details' });
    expect(within(details).getAllByText('spare').length).toBeGreaterThan(0);
  });
});

describe('Certificates: focus after a refusal', () => {
  it('an invalid file: focus goes to the refusal, Tab goes on from it and Escape closes the dialog', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), new File(['hello'], 'notes.pem'));
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    const refusal = await within(dialog).findByTestId('upload-refusal');
    await waitFor(() => expect(document.activeElement).toBe(refusal));
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(document.body);
    await user.keyboard('{Escape}');
    await dialogClosed();
  });

  it('no file chosen: focus goes to the file button', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    const dialog = await openUpload(user);
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(within(dialog).getByText('Choose a certificate file.')).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Choose a file' }));
  });
});

describe('Certificates: a slow file', () => {
  it('says how many key-derivation rounds it is checking, and Cancel aborts the call, storing nothing', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=slow,O=Contoso', iterations: 2_500_000 }, 'slow.pfx'));
    const release = client.hold('certificates.upload');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    const status = await within(dialog).findByTestId('parse-status');
    await waitFor(() => expect(status.textContent).toBe('Checking the password: 5,000,000 key-derivation rounds'));
    // The submit button says the upload is under way; the buttons stay focusable while it runs (focus does not
    // fall to the page), but do nothing.
    const upload = within(dialog).getByRole('button', { name: 'Uploading…' });
    expect(upload.getAttribute('aria-disabled')).toBe('true');
    expect(within(dialog).queryByRole('button', { name: 'Upload' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await dialogClosed();
    const call = client.calls.find((c) => c.name === 'certificates.upload');
    expect(call?.signal?.aborted).toBe(true);
    release();
    await waitFor(() => expect(client.certificates.has('slow')).toBe(false));
    expect(screen.queryByText('Certificate slow uploaded.')).toBeNull();
  });

  it('without an estimate (the core does not know the cost) it still says it is checking the file', async () => {
    const client = withCertificates();
    client.failNext('certificates.estimate', 'invalid-format');
    const { user } = renderApp(PAGE, client);
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=slow,O=Contoso' }, 'slow.pfx'));
    const release = client.hold('certificates.upload');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect((await within(dialog).findByTestId('parse-status')).textContent).toBe('Checking the file…');
    expect(within(dialog).getByRole('button', { name: 'Uploading…' })).toBeTruthy();
    release();
    await dialogClosed();
    expect(await screen.findByText('Certificate slow uploaded.')).toBeTruthy();
  });
});

describe('Certificates: the upload under way, in French', () => {
  it('says "Envoi…" on the button while the file is sent (not "Chargement…", which is for loading), and "Charger" again after', async () => {
    const client = withCertificates();
    client.settings = { language: 'fr', theme: 'light' };
    const { user } = renderApp(PAGE, client);
    await user.click(await within(main()).findByRole('button', { name: 'Charger un certificat' }));
    const dialog = await screen.findByRole('dialog', { name: 'Charger un certificat' });
    await user.upload(within(dialog).getByLabelText(/Fichier de certificat/), fakeCertificateBlob({ subject: 'CN=lent,O=Contoso' }, 'lent.pfx'));
    const release = client.hold('certificates.upload');
    await user.click(within(dialog).getByRole('button', { name: 'Charger' }));
    const sending = await within(dialog).findByRole('button', { name: 'Envoi…' });
    expect(sending.getAttribute('aria-disabled')).toBe('true');
    expect(within(dialog).queryByText('Chargement…')).toBeNull();
    release();
    await dialogClosed();
    expect(client.certificates.has('lent')).toBe(true);
  });

  it('an inspection is not an upload: the button keeps its name while the file is inspected', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=look,O=Contoso' }, 'look.pfx'));
    const release = client.hold('certificates.inspect');
    await user.click(within(dialog).getByRole('button', { name: 'Inspect' }));
    await within(dialog).findByTestId('parse-status');
    expect(within(dialog).getByRole('button', { name: 'Upload' }).getAttribute('aria-disabled')).toBe('true');
    expect(within(dialog).queryByRole('button', { name: 'Uploading…' })).toBeNull();
    release();
    await within(dialog).findByRole('region', { name: 'What this file holds (nothing is stored yet)' });
  });
});

describe('Certificates: inspect before upload', () => {
  it('shows subject, chain, key, protection and weak algorithms without storing anything, then uploads', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    const dialog = await openUpload(user);
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=legacy,O=Contoso', password: 'pw', weak: true }, 'legacy.pfx'));
    await user.type(within(dialog).getByLabelText('Password'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Inspect' }));
    expect(await within(dialog).findByText('The password is wrong for this file.')).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Password'));
    await user.clear(within(dialog).getByLabelText('Password'));
    await user.type(within(dialog).getByLabelText('Password'), 'pw');
    await user.click(within(dialog).getByRole('button', { name: 'Inspect' }));
    const inspection = await within(dialog).findByRole('region', { name: 'What this file holds (nothing is stored yet)' });
    expect(inspection.textContent).toContain('CN=legacy,O=Contoso');
    expect(inspection.textContent).toContain('Weak algorithms');
    expect(inspection.textContent).toContain('RSA 2048');
    expect(inspection.textContent).toContain('pbeWithSHAAnd40BitRC2-CBC');
    expect(inspection.textContent).toContain('CN=legacy,O=Contoso, issued by CN=Test CA,O=Contoso');
    expect(client.certificates.has('legacy')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    await dialogClosed();
    expect(client.certificates.has('legacy')).toBe(true);
  });
});

describe('Certificates: delete', () => {
  it('a certificate that became used meanwhile is refused, and focus moves to the warning', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    await user.click(within(row('spare')).getByRole('button', { name: 'Delete spare' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete certificate?' });
    // Another window starts using it; this page has not heard yet.
    client.failNext('certificates.delete', 'in-use', { details: { usedBy: [{ apiId: 'billing', apiName: 'Billing', reference: 'certificate-id' }] } });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, delete it' }));
    const warning = await screen.findByRole('dialog', { name: 'This certificate is in use' });
    expect(within(warning).getByText('It was not deleted. These APIs use it; remove it from them first:')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(within(warning).getByTestId('delete-in-use')));
    await user.keyboard('{Escape}');
    await dialogClosed();
  });
});

describe('Certificates: table', () => {
  it('copies the id and the thumbprint from the details', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    await within(main()).findByRole('table', { name: 'Client certificates' });
    await user.click(within(row('client1')).getByRole('button', { name: 'Details of client1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Certificate details' });
    await user.click(within(dialog).getByRole('button', { name: 'Copy the thumbprint' }));
    expect(await navigator.clipboard.readText()).toMatch(/^[0-9A-F]{36}BEEF$/);
    expect((await within(dialog).findByRole('status')).textContent).toBe('Copied');
    await user.click(within(dialog).getByRole('button', { name: 'Copy the id' }));
    expect(await navigator.clipboard.readText()).toBe('client1');
  });

  it('truncates a long subject and shows it whole on hover', async () => {
    const client = withCertificates();
    client.addCertificate({ id: 'long', subject: LONG_SUBJECT });
    renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    const layout = row('long').querySelector('.cg-subject');
    // The name, then the whole subject below it, each cut with an ellipsis (measured in Chromium by the e2e
    // test at 1024 px); the whole subject in the hover title.
    expect(layout?.querySelector('.cg-subject-name')?.textContent).toBe('payments-backend-client.internal.contoso.example');
    expect(layout?.querySelector('.cg-subject-full')?.textContent).toBe(LONG_SUBJECT);
    expect(layout?.getAttribute('title')).toBe(LONG_SUBJECT);
  });
});

describe('Security tab: an expired or soon-expiring certificate', () => {
  function withApi(): FakeClient {
    const client = new FakeClient();
    client.addCertificate({ id: 'old', subject: 'CN=old,O=Contoso', thumbprint: makeThumbprint('DEAD'), expiresInDays: -3 });
    client.addCertificate({ id: 'soon', subject: 'CN=soon,O=Contoso', thumbprint: makeThumbprint('5005'), expiresInDays: 12 });
    client.addCertificate({ id: 'good', subject: 'CN=good,O=Contoso', thumbprint: makeThumbprint('600D'), expiresInDays: 300 });
    client.addApi({ id: 'orders', displayName: 'Orders' });
    return client;
  }

  async function choose(user: ReturnType<typeof renderApp>['user'], name: RegExp): Promise<void> {
    await user.click(within(main()).getByRole('combobox', { name: /Client certificate/ }));
    await user.click(await screen.findByRole('option', { name }));
  }

  it('warns before saving an expired certificate, focused; "Save anyway" saves it', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Mutual certificates' }));
    await choose(user, /^old, ending DEAD/);
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    const warning = await within(main()).findByTestId('expiry-warning');
    expect(warning.textContent).toContain('old (…DEAD) has expired');
    expect(warning.textContent).toContain('It expired 3 days ago');
    await waitFor(() => expect(document.activeElement).toBe(warning));
    expect(client.callsTo('security.set')).toEqual([]);
    await user.click(within(warning).getByRole('button', { name: 'Save anyway' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway presents old.')).toBeTruthy();
    expect(client.callsTo('security.set').at(-1)).toEqual({ apiId: 'orders', security: { type: 'certificate', certificateId: 'old' } });
  });

  it('warns about one expiring within 30 days; choosing a good one instead saves without a word', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Mutual certificates' }));
    await choose(user, /^soon, ending 5005/);
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect((await within(main()).findByTestId('expiry-warning')).textContent).toContain('soon (…5005) expires soon');
    await choose(user, /^good, ending 600D/);
    expect(within(main()).queryByTestId('expiry-warning')).toBeNull();
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway presents good.')).toBeTruthy();
    expect(client.callsTo('security.set')).toHaveLength(1);
  });
});
