import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient, makeThumbprint } from './fake-client';
import { main, renderApp } from './render-app';

const NARROW_NBSP = '\u202f';

async function withCredentials(): Promise<FakeClient> {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 });
  client.addCertificate({ id: 'old', subject: 'CN=old-client,O=Contoso', thumbprint: makeThumbprint('0DD0'), expiresInDays: -3 });
  client.addCertificate({ id: 'fresh', subject: 'CN=fresh,O=Contoso', thumbprint: makeThumbprint('F00D'), expiresInDays: 300 });
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  client.addApi({ id: 'legacy', displayName: 'Legacy', certificateId: 'old' });
  client.addApi({ id: 'stock', displayName: 'Stock', certificateId: 'fresh' });
  client.addApi({ id: 'billing', displayName: 'Billing' });
  client.addApi({ id: 'open', displayName: 'Open data' });
  const basic = await client.call('security.set', { apiId: 'billing', security: { type: 'basic', username: 'svc', password: 'pw' } });
  if (!basic.ok) throw new Error(basic.error.message);
  return client;
}

/** The Credentials cell of the row whose name is `name`. */
function credentialsOf(name: string): HTMLElement {
  const table = within(main()).getByRole('table', { name: 'APIs' });
  const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
  const column = headers.indexOf('Credentials');
  const row = within(table).getByRole('link', { name }).closest('tr');
  if (!row || column < 0) throw new Error(`no row ${name} or no Credentials column`);
  return row.querySelectorAll('td')[column] as HTMLElement;
}

describe('APIs list: Credentials column', () => {
  it('shows None, Basic, and each certificate by subject and last four with its expiry state, from one read', async () => {
    const { client } = renderApp('#/apis', await withCredentials());
    await within(main()).findByRole('link', { name: 'Orders' });
    await waitFor(() => expect(credentialsOf('Orders').textContent).toContain('client1'));
    const orders = credentialsOf('Orders');
    expect(orders.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('BEEF');
    expect(orders.textContent).toContain('expires in 10 days');
    expect(orders.querySelector('[data-expiry]')?.getAttribute('data-expiry')).toBe('soon');
    expect(credentialsOf('Legacy').textContent).toContain('expired 3 days ago');
    expect(credentialsOf('Legacy').querySelector('[data-expiry]')?.getAttribute('data-expiry')).toBe('expired');
    expect(credentialsOf('Stock').querySelector('[data-expiry]')?.getAttribute('data-expiry')).toBe('ok');
    expect(credentialsOf('Billing').textContent).toBe('Basic, as svc');
    expect(credentialsOf('Open data').textContent).toBe('None');
    // One read for the whole column: no per-API call, no certificate list.
    expect(client.callsTo('security.list')).toHaveLength(1);
    expect(client.callsTo('security.get')).toHaveLength(0);
    expect(client.callsTo('certificates.list')).toHaveLength(0);
  });

  it('follows a change made elsewhere', async () => {
    const { client } = renderApp('#/apis', await withCredentials());
    await waitFor(() => expect(credentialsOf('Open data').textContent).toBe('None'));
    await client.call('security.set', { apiId: 'open', security: { type: 'certificate', certificateId: 'fresh' } });
    await waitFor(() => expect(credentialsOf('Open data').textContent).toContain('F00D'));
  });

  it('leaves the column blank, and the list usable, when the credentials cannot be read', async () => {
    const client = await withCredentials();
    client.failNext('security.list', 'store-corrupt');
    renderApp('#/apis', client);
    expect(await within(main()).findByRole('link', { name: 'Orders' })).toBeTruthy();
    expect(credentialsOf('Orders').textContent).toBe('');
  });
});

describe('Security tab: unsaved changes', () => {
  it('marks edits as unsaved until saved, and clears the mark when they are undone', async () => {
    const { user } = renderApp('#/apis/open/security', await withCredentials());
    const save = await within(main()).findByRole('button', { name: 'Save' });
    expect(within(main()).queryByText('Unsaved changes')).toBeNull();
    await user.click(within(main()).getByRole('checkbox', { name: 'Validate certificate name' }));
    expect(within(main()).getByText('Unsaved changes')).toBeTruthy();
    await user.click(within(main()).getByRole('checkbox', { name: 'Validate certificate name' }));
    expect(within(main()).queryByText('Unsaved changes')).toBeNull();

    await user.click(within(main()).getByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Mutual certificates' }));
    expect(within(main()).getByText('Unsaved changes')).toBeTruthy();
    await user.click(within(main()).getByRole('combobox', { name: /Client certificate/ }));
    await user.click(await screen.findByRole('option', { name: /fresh, ending F00D/ }));
    await user.click(save);
    expect(await within(main()).findByText(/Saved\. The change is live/)).toBeTruthy();
    await waitFor(() => expect(within(main()).queryByText('Unsaved changes')).toBeNull());
  });

  it('a typed Basic password is an unsaved change', async () => {
    const { user } = renderApp('#/apis/billing/security', await withCredentials());
    const password = await within(main()).findByLabelText(/^Password/);
    expect(within(main()).queryByText('Unsaved changes')).toBeNull();
    await user.type(password, 'new');
    expect(within(main()).getByText('Unsaved changes')).toBeTruthy();
  });
});

describe('Gateway URL', () => {
  it('keeps the URL whole: one element on the API page and in the Gateway card (never broken inside)', async () => {
    renderApp('#/apis/orders/settings', await withCredentials());
    const url = await within(main()).findByText('http://127.0.0.1:8787/orders');
    expect(url.tagName).toBe('SPAN');
    expect(url.parentElement?.textContent).toBe('Gateway URL: http://127.0.0.1:8787/orders');
    window.location.hash = '#/gateway';
    const card = await within(main()).findByTestId('gateway-url');
    expect(card.textContent).toBe('http://127.0.0.1:8787');
    expect(card.getAttribute('title')).toBe('http://127.0.0.1:8787');
  });
});

describe('French typography', () => {
  it('puts a narrow no-break space before the colon in the status bar and the gateway URL', async () => {
    const client = await withCredentials();
    await client.call('settings.set', { language: 'fr' });
    renderApp('#/apis/orders/settings', client);
    await waitFor(() => expect(document.querySelector('footer')?.textContent).toContain(`Passerelle${NARROW_NBSP}: En service`));
    const url = await within(main()).findByText('http://127.0.0.1:8787/orders');
    expect(url.parentElement?.textContent).toBe(`URL de la passerelle${NARROW_NBSP}: http://127.0.0.1:8787/orders`);
  });
});
