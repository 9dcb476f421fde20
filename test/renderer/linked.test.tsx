import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeCertificateFile, FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

const PAGE = '#/security/client-certificates';
const FILE = '/etc/certgate/client.pfx';

/** A console with one linked certificate ("linked1", used by Orders) and one ordinary one. */
async function withLinked(): Promise<FakeClient> {
  const client = new FakeClient();
  client.addCertificate({ id: 'plain', subject: 'CN=plain,O=Contoso', thumbprint: makeThumbprint('CAFE') });
  client.links.files.set(FILE, fakeCertificateFile({ subject: 'CN=linked1,O=Contoso', password: 'pw', thumbprint: makeThumbprint('0001') }));
  const linked = await client.call('certificates.link', { id: 'linked1', file: FILE, password: 'pw' });
  if (!linked.ok) throw new Error(linked.error.message);
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'linked1' });
  return client;
}

function row(name: string): HTMLElement {
  const table = within(main()).getByRole('table', { name: 'Client certificates' });
  const tr = within(table).getByText(name).closest('tr');
  if (!tr) throw new Error(`no row for ${name}`);
  return tr;
}

async function openDetails(user: ReturnType<typeof renderApp>['user'], name: string): Promise<HTMLElement> {
  await within(main()).findByRole('table', { name: 'Client certificates' });
  await user.click(within(row(name)).getByRole('button', { name: `Details of ${name}` }));
  return screen.findByRole('dialog', { name: 'Certificate details' });
}

const { createObjectURL, revokeObjectURL } = URL;

afterEach(() => {
  vi.restoreAllMocks();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
  delete (window as { certgate?: unknown }).certgate;
});

describe('Linked certificates in the console', () => {
  it('shows a link icon on linked rows only, with the file and the sync state on hover', async () => {
    const client = await withLinked();
    const { user } = renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    expect(within(row('plain')).queryByRole('img', { name: /follows/ })).toBeNull();
    const icon = within(row('linked1')).getByRole('img', { name: `linked1 follows ${FILE}: in sync` });
    expect(icon.getAttribute('data-link-state')).toBe('ok');
    await user.hover(icon);
    expect((await screen.findByRole('tooltip')).textContent).toBe(`linked1 follows ${FILE}: in sync`);

    client.links.files.delete(FILE);
    await client.call('certificates.sync', { id: 'linked1' });
    const failed = await within(row('linked1')).findByRole('img', { name: `linked1 follows ${FILE}: the last sync failed` });
    expect(failed.getAttribute('data-link-state')).toBe('error');
  });

  it('links a file in browser mode: a typed path on the serving machine, its password, a wrong password shown at the field', async () => {
    const client = await withLinked();
    client.links.files.set('/srv/certs/api.pfx', fakeCertificateFile({ subject: 'CN=api,O=Contoso', password: 'right' }));
    const { user } = renderApp(PAGE, client);
    await user.click(await within(main()).findByRole('button', { name: 'Link a file' }));
    const dialog = await screen.findByRole('dialog', { name: 'Link a certificate file' });
    expect(within(dialog).queryByRole('button', { name: 'Browse…' })).toBeNull();
    await user.type(within(dialog).getByRole('textbox', { name: /File on the machine that runs CertGate/ }), '/srv/certs/api.pfx');
    await user.type(within(dialog).getByLabelText('Password of the file'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Link' }));
    expect(await within(dialog).findByText('The password is wrong for this file.')).toBeTruthy();
    await user.clear(within(dialog).getByLabelText('Password of the file'));
    await user.type(within(dialog).getByLabelText('Password of the file'), 'right');
    await user.click(within(dialog).getByRole('button', { name: 'Link' }));
    await dialogClosed();
    expect(await screen.findByText('Certificate api now follows /srv/certs/api.pfx.')).toBeTruthy();
    expect(client.callsTo('certificates.link').at(-1)).toEqual({ id: 'api', file: '/srv/certs/api.pfx', password: 'right', replace: false });
    expect(within(row('api')).getByRole('img', { name: 'api follows /srv/certs/api.pfx: in sync' })).toBeTruthy();
  });

  it('links a file in the desktop app through the native file dialog (files.pick), a missing file named', async () => {
    (window as { certgate?: unknown }).certgate = {};
    const client = await withLinked();
    client.links.picked = '/home/op/renewed.pfx';
    const { user } = renderApp(PAGE, client);
    await user.click(await within(main()).findByRole('button', { name: 'Link a file' }));
    const dialog = await screen.findByRole('dialog', { name: 'Link a certificate file' });
    await user.click(within(dialog).getByRole('button', { name: 'Browse…' }));
    expect(client.callsTo('files.pick')[0]).toEqual({ purpose: 'link-certificate' });
    const path = within(dialog).getByRole<HTMLInputElement>('textbox', { name: /File on the machine/ });
    await waitFor(() => expect(path.value).toBe('/home/op/renewed.pfx'));
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: /^Id/ }).value).toBe('renewed');
    await user.click(within(dialog).getByRole('button', { name: 'Link' }));
    expect(await within(dialog).findByText('There is no file at /home/op/renewed.pfx (moved or deleted?).')).toBeTruthy();
  });

  it('details: the file, last good sync, a sync error named with the APIs at risk; Sync now follows a renewal; Unlink keeps it', async () => {
    const client = await withLinked();
    const { user } = renderApp(PAGE, client);
    let dialog = await openDetails(user, 'linked1');
    const section = within(dialog).getByRole('region', { name: 'Linked file' });
    expect(section.textContent).toContain(FILE);
    expect(section.textContent).toContain('in sync');
    expect(section.textContent).not.toContain('Never');

    client.links.files.set(FILE, fakeCertificateFile({ subject: 'CN=linked1,O=Contoso', password: 'changed' }));
    await user.click(within(section).getByRole('button', { name: 'Sync now' }));
    expect(await within(section).findByText('The last sync failed (bad-password)')).toBeTruthy();
    expect(section.textContent).toContain('At risk (still on version 1): Orders');
    expect(await screen.findByText('The sync of linked1 failed: nothing changed.')).toBeTruthy();

    client.links.files.set(FILE, fakeCertificateFile({ subject: 'CN=linked1,O=Contoso', password: 'pw', thumbprint: makeThumbprint('0002') }));
    await user.click(within(section).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(within(section).queryByText(/The last sync failed/)).toBeNull());
    expect(within(dialog).getByText('0002')).toBeTruthy();
    expect(section.textContent).toMatch(/Version\s*2/);

    await user.click(within(section).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(within(dialog).queryByRole('region', { name: 'Linked file' })).toBeNull());
    expect(await screen.findByText('Certificate linked1 no longer follows a file; its current version stays.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await dialogClosed();
    // The renewal kept the old version as "linked1-v1"; neither row follows a file now.
    const archived = main().querySelector<HTMLElement>('[data-certificate-id="linked1-v1"]');
    expect(archived).toBeTruthy();
    expect(within(main()).queryAllByRole('img', { name: /follows/ })).toEqual([]);
    dialog = await openDetails(user, 'plain');
    expect(within(dialog).queryByRole('region', { name: 'Linked file' })).toBeNull();
  });
});

describe('Export from the details dialog', () => {
  function captureDownloads() {
    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:certgate/x'), revokeObjectURL: () => {} });
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    return { blobs, names };
  }

  it('downloads the public certificate as .cer (DER) and .pem, without the key', async () => {
    const downloads = captureDownloads();
    const client = await withLinked();
    const { user } = renderApp(PAGE, client);
    const dialog = await openDetails(user, 'plain');
    await user.click(within(dialog).getByRole('button', { name: 'Download .cer (DER)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Download .pem' }));
    await waitFor(() => expect(downloads.names).toEqual(['plain.cer', 'plain.pem']));
    expect(client.callsTo('certificates.export')).toEqual([
      { id: 'plain', format: 'cer', includePrivateKey: false },
      { id: 'plain', format: 'pem', includePrivateKey: false },
    ]);
    expect(downloads.blobs[0]?.type).toBe('application/pkix-cert');
  });

  it('says plainly it exports the private key, asks for a new password twice, PFX or PEM', async () => {
    const downloads = captureDownloads();
    const client = await withLinked();
    const { user } = renderApp(PAGE, client);
    const dialog = await openDetails(user, 'plain');
    expect(within(dialog).queryByText('This exports the private key')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Export with the private key…' }));
    expect(within(dialog).getByText('This exports the private key')).toBeTruthy();
    const submit = within(dialog).getByRole('button', { name: 'Export the private key' });
    await user.click(submit);
    expect(within(dialog).getByText('A PFX file needs a password.')).toBeTruthy();
    await user.type(within(dialog).getByLabelText(/^New password/), 'n3w');
    await user.type(within(dialog).getByLabelText('The same password again'), 'n3x');
    await user.click(submit);
    expect(within(dialog).getByText('The two passwords differ.')).toBeTruthy();
    expect(client.callsTo('certificates.export')).toHaveLength(0);
    await user.clear(within(dialog).getByLabelText('The same password again'));
    await user.type(within(dialog).getByLabelText('The same password again'), 'n3w');
    await user.click(submit);
    await waitFor(() => expect(downloads.names).toEqual(['plain.pfx']));
    expect(client.callsTo('certificates.export')[0]).toEqual({ id: 'plain', format: 'pfx', includePrivateKey: true, password: 'n3w' });
    expect(await screen.findByText('plain.pfx downloaded.')).toBeTruthy();

    await user.click(within(dialog).getByRole('radio', { name: /PEM/ }));
    await user.clear(within(dialog).getByLabelText(/^New password/));
    await user.clear(within(dialog).getByLabelText('The same password again'));
    await user.click(submit);
    await waitFor(() => expect(downloads.names).toEqual(['plain.pfx', 'plain.pem']));
    expect(client.callsTo('certificates.export')[1]).toEqual({ id: 'plain', format: 'pem', includePrivateKey: true });
  });
});

describe('Traffic: the version a call presented', () => {
  it('shows the certificate column as ID-vN, before and after a renewal, and an archived version as its own id', async () => {
    const client = new FakeClient();
    client.addApi({ id: 'orders', displayName: 'Orders' });
    const thumb = makeThumbprint('AAAA');
    client.emitTraffic({ requestId: 'r1', apiId: 'orders', path: '/orders/1', certificateId: 'linked1', certificateVersion: 1, thumbprint: thumb, handshake: 'new' });
    client.emitTraffic({ requestId: 'r2', apiId: 'orders', path: '/orders/2', certificateId: 'linked1-v1', certificateVersion: 1, thumbprint: thumb, handshake: 'reused' });
    client.emitTraffic({ requestId: 'r3', apiId: 'orders', path: '/orders/3', certificateId: 'plain', certificateVersion: null, thumbprint: makeThumbprint('BBBB'), handshake: 'new' });
    renderApp('#/gateway', client);
    const table = await within(main()).findByRole('table', { name: 'Live traffic' });
    client.emitTraffic({ requestId: 'r4', apiId: 'orders', path: '/orders/4', certificateId: 'linked1', certificateVersion: 2, thumbprint: makeThumbprint('CCCC'), handshake: 'new' });
    await within(table).findByText('/orders/4');
    const certificateCells = within(table).getAllByRole('row').slice(1).map((r) => (r as HTMLTableRowElement).cells[6]?.textContent);
    expect(certificateCells).toEqual(['linked1-v2 …CCCC', 'plain …BBBB', 'linked1-v1 …AAAA', 'linked1-v1 …AAAA']);
  });
});
