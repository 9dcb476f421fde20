import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCertificateBlob, FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

const PAGE = '#/security/client-certificates';

function withCertificates(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 });
  client.addCertificate({ id: 'old', subject: 'CN=old,O=Contoso', thumbprint: makeThumbprint('DEAD'), expiresInDays: -3 });
  client.addCertificate({ id: 'fresh', subject: 'CN=fresh,O=Contoso', thumbprint: makeThumbprint('CAFE'), expiresInDays: 200, weak: true });
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  client.addApi({ id: 'billing', displayName: 'Billing', certificateId: 'client1' });
  return client;
}

function row(name: string): HTMLElement {
  const table = within(main()).getByRole('table', { name: 'Client certificates' });
  const cell = within(table).getByText(name);
  const tr = cell.closest('tr');
  if (!tr) throw new Error(`no row for ${name}`);
  return tr;
}

describe('Client certificates page', () => {
  it('shows a loading state, then the empty state with what to do next', async () => {
    const client = new FakeClient();
    const release = client.hold();
    renderApp(PAGE, client);
    expect(await within(main()).findByText('Loading…')).toBeTruthy();
    release();
    expect(await within(main()).findByRole('heading', { name: 'No client certificates yet' })).toBeTruthy();
    expect(within(main()).getByText('npx certgate echo-backend --port 9443 --ca-out ./echo-ca')).toBeTruthy();
    expect(within(main()).getByRole('button', { name: 'Upload certificate' })).toBeTruthy();
  });

  it('shows an error in words from its code, and recovers on retry', async () => {
    const client = withCertificates();
    client.failNext('certificates.list', 'store-corrupt', { message: 'Error: ENOENT\n    at readFile (node:fs:1:1)' });
    const { user } = renderApp(PAGE, client);
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain("CertGate's data file cannot be read.");
    expect(alert.textContent).not.toContain('ENOENT');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(main()).findByRole('table', { name: 'Client certificates' })).toBeTruthy();
  });

  it('lists subject, thumbprint with its last four characters emphasised, expiry and usage', async () => {
    renderApp(PAGE, withCertificates());
    await within(main()).findByRole('table', { name: 'Client certificates' });
    const client1 = row('client1');
    const last4 = client1.querySelector('strong.cg-thumbprint-last4');
    expect(last4?.textContent).toBe('BEEF');
    expect(client1.querySelector('.cg-thumbprint')?.textContent).toMatch(/^[0-9A-F]{36}BEEF$/);
    expect(within(client1).getByText('expires in 10 days')).toBeTruthy();
    expect(client1.querySelector('[data-expiry="soon"]')).toBeTruthy();
    expect(within(client1).getByRole('button', { name: '2 APIs' })).toBeTruthy();
    // The APIs by name in the button's description without hovering (a native title, not a tooltip per row).
    expect(within(client1).getByRole('button', { name: '2 APIs', description: /^(Orders, Billing|Billing, Orders)$/ })).toBeTruthy();
    const old = row('old');
    expect(within(old).getByText('expired 3 days ago')).toBeTruthy();
    expect(old.querySelector('[data-expiry="expired"]')).toBeTruthy();
    expect(within(row('fresh')).getByText('Not used')).toBeTruthy();
    // The navigation badge counts the expired and the soon-expiring certificate.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('img', { name: '2 certificates expire within 30 days or have expired' })).toBeTruthy();
  });

  it('shows details: issuer, chain, SANs, key, algorithms and a weak-algorithm warning', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    await within(main()).findByRole('table', { name: 'Client certificates' });
    await user.click(within(row('fresh')).getByRole('button', { name: 'Details of fresh' }));
    const dialog = await screen.findByRole('dialog', { name: 'Certificate details' });
    expect(within(dialog).getByText('Weak algorithms')).toBeTruthy();
    expect(within(dialog).getByText(/RC2-40 key encryption/)).toBeTruthy();
    expect(within(dialog).getByText('DNS:client.example')).toBeTruthy();
    expect(within(dialog).getByText('RSA 2048')).toBeTruthy();
    expect(within(dialog).getAllByText('CN=Test CA,O=Contoso').length).toBeGreaterThan(0);
    expect(within(dialog).getByText(/CN=fresh,O=Contoso, issued by CN=Test CA,O=Contoso/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await dialogClosed();
  });

  it('uploads: a wrong password is shown at the password field and keeps the dialog and file; the right one uploads', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    await user.click(await within(main()).findByRole('button', { name: 'Upload certificate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upload certificate' });
    await user.upload(within(dialog).getByLabelText(/Certificate file/), fakeCertificateBlob({ subject: 'CN=new-client,O=Contoso', password: 's3cret', thumbprint: makeThumbprint('F00D') }, 'new-client.pfx'));
    expect(within(dialog).getByText(/new-client\.pfx/)).toBeTruthy();
    const password = within(dialog).getByLabelText('Password');
    await user.type(password, 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(await within(dialog).findByText('The password is wrong for this file.')).toBeTruthy();
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Upload certificate' })).toBe(dialog);
    expect(within(dialog).getByText(/new-client\.pfx/)).toBeTruthy();
    expect(client.certificates.has('new-client')).toBe(false);

    // Show/hide the password.
    await user.click(within(dialog).getByRole('button', { name: 'Show password' }));
    expect(password.getAttribute('type')).toBe('text');
    await user.click(within(dialog).getByRole('button', { name: 'Hide password' }));
    expect(password.getAttribute('type')).toBe('password');

    await user.clear(password);
    await user.type(password, 's3cret');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    await dialogClosed();
    expect(await screen.findByText('Certificate new-client uploaded.')).toBeTruthy();
    const added = row('new-client');
    expect(added.getAttribute('data-highlighted')).toBe('true');
    expect(added.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('F00D');
    const upload = client.callsTo('certificates.upload').at(-1) as { password: string; fileName: string; data: string };
    expect(upload.password).toBe('s3cret');
    expect(upload.fileName).toBe('new-client.pfx');
  });

  it('says what is wrong with a file that is not a certificate', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    await user.click(await within(main()).findByRole('button', { name: 'Upload certificate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upload certificate' });
    await user.upload(within(dialog).getByLabelText(/Certificate file/), new File(['hello'], 'notes.pem'));
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('This file cannot be used');
    expect(alert.textContent).toContain('This is not a PFX/P12 or PEM certificate file');
    expect(within(dialog).getByLabelText('Password').getAttribute('aria-invalid')).not.toBe('true');
  });

  it('takes a file dropped on the file field, and a certificate with its key as two PEM files', async () => {
    const { user, client } = renderApp(PAGE, withCertificates());
    await user.click(await within(main()).findByRole('button', { name: 'Upload certificate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upload certificate' });
    const zone = within(dialog).getByTestId('upload-drop-zone');
    const pfx = fakeCertificateBlob({ subject: 'CN=dropped' }, 'dropped.pfx');
    fireEvent.drop(zone, { dataTransfer: { files: [pfx, new File(['x'], 'other.pfx')] } });
    expect(within(dialog).getByText('Choose one PFX/P12 file, or PEM files (certificate and key) together.')).toBeTruthy();
    fireEvent.drop(zone, { dataTransfer: { files: [pfx] } });
    expect(within(dialog).getByText(/Chosen: dropped\.pfx/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('Certificate dropped uploaded.')).toBeTruthy();
    expect(client.certificates.has('dropped')).toBe(true);

    // Two PEM files are sent together, joined by a new line.
    await user.click(within(main()).getByRole('button', { name: 'Upload certificate' }));
    const second = await screen.findByRole('dialog', { name: 'Upload certificate' });
    await user.upload(within(second).getByLabelText(/Certificate file/), [new File(['CERT'], 'client.crt'), new File(['KEY'], 'client.key')]);
    await user.click(within(second).getByRole('button', { name: 'Upload' }));
    await within(second).findByRole('alert');
    const sent = client.callsTo('certificates.upload').at(-1) as { data: string; fileName: string };
    expect(Buffer.from(sent.data, 'base64').toString()).toBe('CERT\nKEY\n');
  });

  it('asks for a file before uploading', async () => {
    const { user } = renderApp(PAGE, withCertificates());
    await user.click(await within(main()).findByRole('button', { name: 'Upload certificate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upload certificate' });
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(within(dialog).getByText('Choose a certificate file.')).toBeTruthy();
  });

  it('refuses to delete a certificate in use, listing the APIs with links, then deletes it once unused', async () => {
    const client = withCertificates();
    const { user } = renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    await user.click(within(row('client1')).getByRole('button', { name: 'Delete client1' }));
    // The page knows it is in use: the first dialog says so, and offers no "Yes, delete it".
    let dialog = await screen.findByRole('dialog', { name: 'This certificate is in use' });
    expect(within(dialog).getByText('It cannot be deleted while these APIs use it; remove it from them first:')).toBeTruthy();
    expect(client.callsTo('certificates.delete')).toEqual([]);
    const orders = within(dialog).getByRole('link', { name: 'Orders' });
    expect(orders.getAttribute('href')).toBe('#/apis/orders/security');
    expect(within(dialog).getByRole('link', { name: 'Billing' }).getAttribute('href')).toBe('#/apis/billing/security');
    expect(within(dialog).queryByRole('button', { name: 'Yes, delete it' })).toBeNull();
    expect(client.certificates.has('client1')).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await dialogClosed();

    // The operator removes it from both APIs, elsewhere; the change event refreshes the list.
    await client.call('security.set', { apiId: 'orders', security: { type: 'none' } });
    await client.call('security.set', { apiId: 'billing', security: { type: 'none' } });
    await waitFor(() => expect(within(row('client1')).getByText('Not used')).toBeTruthy());

    await user.click(within(row('client1')).getByRole('button', { name: 'Delete client1' }));
    dialog = await screen.findByRole('dialog', { name: 'Delete certificate?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, delete it' }));
    expect(await screen.findByText('Certificate client1 deleted.')).toBeTruthy();
    await waitFor(() => expect(within(main()).queryByText('client1')).toBeNull());
    expect(client.certificates.has('client1')).toBe(false);
  });

  it('stays smooth with 1,000 certificates: one page rendered, filtering and sorting', async () => {
    const client = new FakeClient();
    for (let i = 0; i < 1000; i++) {
      client.addCertificate({ id: `c${i}`, subject: `CN=svc-${String(i).padStart(4, '0')},O=Contoso`, expiresInDays: 40 + (i % 300) });
    }
    const { user } = renderApp(PAGE, client);
    const table = await within(main()).findByRole('table', { name: 'Client certificates' });
    expect(within(main()).getByText('1,000 certificates')).toBeTruthy();
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(within(main()).getByText('Page 1 of 20')).toBeTruthy();
    expect(within(table).getByText('svc-0000')).toBeTruthy();

    await user.click(within(main()).getByRole('button', { name: 'Next page' }));
    expect(within(main()).getByText('Page 2 of 20')).toBeTruthy();
    expect(within(main()).getByText('svc-0050')).toBeTruthy();

    await user.click(within(main()).getByRole('button', { name: 'Subject' }));
    expect(within(main()).getByText('svc-0999')).toBeTruthy();
    expect(within(main()).getByText('Page 1 of 20')).toBeTruthy();

    await user.type(within(main()).getByRole('searchbox', { name: 'Filter certificates' }), 'svc-012');
    expect(within(main()).getByText('10 certificates')).toBeTruthy();
    await user.type(within(main()).getByRole('searchbox', { name: 'Filter certificates' }), 'x');
    expect(within(main()).getByText('No certificate matches "svc-012x".')).toBeTruthy();
  });
});
