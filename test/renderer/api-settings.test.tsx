import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient } from './fake-client';
import { main, renderApp } from './render-app';

function client(): FakeClient {
  const c = new FakeClient();
  c.addApi({ id: 'orders', displayName: 'Orders', serviceUrl: 'https://localhost:9443' });
  c.caCertificates.set('echo-ca', {
    id: 'echo-ca',
    subject: 'CN=Echo CA',
    commonName: 'Echo CA',
    issuer: 'CN=Echo CA',
    thumbprint: 'A'.repeat(40),
    notBefore: new Date().toISOString(),
    notAfter: new Date(Date.now() + 1e10).toISOString(),
    pem: '-----BEGIN CERTIFICATE-----',
    uploadedAt: new Date().toISOString(),
  });
  return c;
}

describe('API settings tab', () => {
  it('saves the API and says the change is live', async () => {
    const { user, client: c } = renderApp('#/apis/orders/settings', client());
    const name = await within(main()).findByLabelText(/Display name/);
    await user.clear(name);
    await user.type(name, 'Orders v2');
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Saved. The change is live.')).toBeTruthy();
    expect(c.apis.get('orders')?.displayName).toBe('Orders v2');
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Orders v2' })).toBeTruthy();
  });

  it('deletes the API after confirmation and returns to the list', async () => {
    const { user, client: c } = renderApp('#/apis/orders/settings', client());
    await user.click(await within(main()).findByRole('button', { name: 'Delete API' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete API?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, delete it' }));
    expect(await screen.findByText('API Orders deleted.')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe('#/apis'));
    expect(c.apis.has('orders')).toBe(false);
  });

  it('saves trusted CA certificates from the Security tab', async () => {
    const { user, client: c } = renderApp('#/apis/orders/security', client());
    const group = await within(main()).findByRole('group', { name: 'Trusted CA certificates' });
    await user.click(await within(group).findByRole('checkbox', { name: 'Echo CA' }));
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway uses it.')).toBeTruthy();
    expect(c.apis.get('orders')?.backendTls.trustedCaCertificateIds).toEqual(['echo-ca']);
  });

  it('asks for a client certificate when mutual certificates has none chosen, pointing to the upload page', async () => {
    const { user } = renderApp('#/apis/orders/security', client());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Mutual certificates' }));
    expect(within(main()).getByText('There are no client certificates yet.')).toBeTruthy();
    expect(within(main()).getByRole('link', { name: 'Upload one under Security → Client certificates.' }).getAttribute('href')).toBe(
      '#/security/client-certificates',
    );
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(within(main()).getByText('Choose a client certificate.')).toBeTruthy();
  });
});
