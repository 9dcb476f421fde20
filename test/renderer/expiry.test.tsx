import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient, makeThumbprint } from './fake-client';
import { main, renderApp } from './render-app';

const PAGE = '#/security/client-certificates';

function nav(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Main navigation' });
}

describe('Expiry warnings', () => {
  it('counts leaves and chains that expire within 30 days in the badge, and lists them in the banner with their APIs', async () => {
    const client = new FakeClient();
    client.addCertificate({ id: 'soon', subject: 'CN=soon,O=Contoso', expiresInDays: 5 });
    client.addCertificate({ id: 'chained', subject: 'CN=chained,O=Contoso', expiresInDays: 300, caExpiresInDays: 12 });
    client.addCertificate({ id: 'fine', subject: 'CN=fine,O=Contoso', expiresInDays: 300 });
    client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'chained' });
    renderApp(PAGE, client);
    expect(await within(nav()).findByRole('img', { name: '2 certificates expire within 30 days or have expired' })).toBeTruthy();
    expect(client.callsTo('certificates.expiring')[0]).toEqual({ withinDays: 30 });
    const banner = await within(main()).findByTestId('expiry-banner');
    expect(banner.textContent).toContain('2 certificates expire within 30 days or have expired');
    const items = banner.querySelectorAll('li');
    expect([...items].map((li) => li.getAttribute('data-certificate-id'))).toEqual(['soon', 'chained']);
    expect(items[0]?.textContent).toContain('expires in 5 days');
    expect(items[0]?.textContent).toContain('Not used');
    expect(items[1]?.getAttribute('data-which')).toBe('chain');
    expect(items[1]?.textContent).toContain('its CA certificate Test CA expires in 12 days, before the certificate itself');
    const link = within(items[1] as HTMLElement).getByRole('link', { name: 'Orders' });
    expect(link.getAttribute('href')).toBe('#/apis/orders/security');
    // Only warnings: nothing has expired yet.
    expect(banner.className).not.toMatch(/error/);
  });

  it('replaces a certificate from the banner', async () => {
    const client = new FakeClient();
    client.addCertificate({ id: 'old', subject: 'CN=old,O=Contoso', thumbprint: makeThumbprint('DEAD'), expiresInDays: -2 });
    const { user } = renderApp(PAGE, client);
    const banner = await within(main()).findByTestId('expiry-banner');
    expect(banner.textContent).toContain('expired 2 days ago');
    await user.click(within(banner).getByRole('button', { name: 'Replace old' }));
    expect(await screen.findByRole('dialog', { name: 'Replace old' })).toBeTruthy();
  });

  it('shows neither badge nor banner when nothing expires soon, nor while loading or when the check fails', async () => {
    const client = new FakeClient();
    client.addCertificate({ id: 'fine', subject: 'CN=fine,O=Contoso', expiresInDays: 300 });
    client.addCertificate({ id: 'soon', subject: 'CN=soon,O=Contoso', expiresInDays: 3 });
    client.failNext('certificates.expiring', 'store-corrupt', { times: 2 });
    renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    expect(within(main()).queryByTestId('expiry-banner')).toBeNull();
    expect(within(nav()).queryByRole('img')).toBeNull();
  });

  it('speaks French', async () => {
    const client = new FakeClient();
    client.settings = { language: 'fr', theme: 'light' };
    client.addCertificate({ id: 'chained', subject: 'CN=chained,O=Contoso', expiresInDays: 300, caExpiresInDays: 12 });
    renderApp(PAGE, client);
    const banner = await within(main()).findByTestId('expiry-banner');
    expect(banner.textContent).toContain("son certificat d'autorité Test CA expire dans 12 jours, avant le certificat lui-même");
    expect(within(banner).getByRole('button', { name: 'Remplacer chained' })).toBeTruthy();
  });
});
