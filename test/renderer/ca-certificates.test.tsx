import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

const PAGE = '#/security/ca-certificates';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('CA certificates page', () => {
  it('shows loading, then an empty state that says where a CA comes from', async () => {
    const client = new FakeClient();
    const release = client.hold();
    renderApp(PAGE, client);
    expect(await within(main()).findByText('Loading…')).toBeTruthy();
    release();
    expect(await within(main()).findByRole('heading', { name: 'No CA certificates yet' })).toBeTruthy();
    expect(within(main()).getByText(/ca\.crt that certgate echo-backend writes/)).toBeTruthy();
  });

  it('shows an error in words', async () => {
    const client = new FakeClient();
    client.failNext('caCertificates.list', 'store-corrupt');
    renderApp(PAGE, client);
    expect((await within(main()).findByRole('alert')).textContent).toContain("CertGate's data file cannot be read.");
  });

  it('uploads a PEM CA, refuses one that is not PEM, and will not delete a CA an API trusts', async () => {
    const client = new FakeClient();
    const { user } = renderApp(PAGE, client);
    await user.click(await within(main()).findByRole('button', { name: 'Upload CA certificate' }));
    let dialog = await screen.findByRole('dialog', { name: 'Upload CA certificate' });
    await user.type(within(dialog).getByLabelText(/PEM certificate/), 'hello');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(await within(dialog).findByText(/This is not a PFX\/P12 or PEM certificate file/)).toBeTruthy();
    await user.clear(within(dialog).getByLabelText(/PEM certificate/));
    await user.click(within(dialog).getByLabelText(/PEM certificate/));
    await user.paste(PEM);
    await user.type(within(dialog).getByLabelText(/Id/), 'echo-ca');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('CA certificate Echo CA 1 uploaded.')).toBeTruthy();
    await dialogClosed();
    expect(within(main()).getByRole('table', { name: 'CA certificates' })).toBeTruthy();

    const api = client.addApi({ id: 'orders', displayName: 'Orders' });
    await client.call('apis.update', { id: api.id, backendTls: { trustedCaCertificateIds: ['echo-ca'] } });
    await waitFor(() => expect(within(main()).getByText('1 API')).toBeTruthy());
    await user.click(within(main()).getByRole('button', { name: 'Delete Echo CA 1' }));
    // The page knows an API trusts it: the first dialog says so, without "Yes, delete it".
    dialog = await screen.findByRole('dialog', { name: 'This certificate is in use' });
    expect(within(dialog).getByText('It cannot be deleted while these APIs trust it; remove it from them first:')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Yes, delete it' })).toBeNull();
    expect(within(dialog).getByRole('link', { name: 'Orders' }).getAttribute('href')).toBe('#/apis/orders/security');
    expect(within(dialog).getByText('(trusted CA)')).toBeTruthy();
  });
});
