import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';
import { resolveLocale } from '../../renderer/i18n';
import { FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

function setSystemLanguage(language: string): void {
  Object.defineProperty(window.navigator, 'language', { value: language, configurable: true });
}

afterEach(() => setSystemLanguage('en-US'));

function client(): FakeClient {
  const c = new FakeClient();
  c.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 });
  c.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  return c;
}

describe('Languages', () => {
  it('has the same keys in English and French, none empty', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(fr)) expect(value, key).not.toBe('');
  });

  it('uses the exact names the product documents', () => {
    const names: [keyof typeof en, string, string][] = [
      ['nav.security', 'Security', 'Sécurité'],
      ['nav.clientCertificates', 'Client certificates', 'Certificats clients'],
      ['certs.upload', 'Upload certificate', 'Charger un certificat'],
      ['upload.submit', 'Upload', 'Charger'],
      ['common.delete', 'Delete', 'Supprimer'],
      ['common.yesDelete', 'Yes, delete it', 'Oui, le supprimer'],
      ['nav.apis', 'APIs', 'API'],
      ['security.withCredentials', 'With credentials', "Avec informations d'identification"],
      ['security.certificate', 'Mutual certificates', 'Certificats mutuels'],
      ['security.clientCertificate', 'Client certificate', 'Certificat client'],
      ['common.save', 'Save', 'Enregistrer'],
      ['api.tab.policies', 'Policies', 'Stratégies'],
    ];
    for (const [key, english, french] of names) {
      expect(en[key]).toBe(english);
      expect(fr[key]).toBe(french);
    }
  });

  it('follows the system language when set to "system"', () => {
    expect(resolveLocale('system', 'fr-CA')).toBe('fr');
    expect(resolveLocale('system', 'de-DE')).toBe('en');
    expect(resolveLocale('en', 'fr-FR')).toBe('en');
    expect(resolveLocale('fr', 'en-US')).toBe('fr');
  });

  it('starts in French on a French system, with localised dates and numbers', async () => {
    setSystemLanguage('fr-FR');
    const c = client();
    c.settings = { language: 'system', theme: 'light' };
    renderApp('#/security/client-certificates', c);
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Certificats clients' })).toBeTruthy();
    const table = await within(main()).findByRole('table', { name: 'Certificats clients' });
    expect(within(table).getByText('expire dans 10 jours')).toBeTruthy();
    expect(within(main()).getByText('1 certificat')).toBeTruthy();
    // The expiry banner speaks French too.
    expect(within(main()).getByTestId('expiry-banner').textContent).toContain('1 certificat expire dans les 30 jours ou a expiré');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('switches to French in Settings, and the French names show everywhere', async () => {
    const { user, client: c } = renderApp('#/settings', client());
    await user.click(await within(main()).findByRole('radio', { name: 'Français' }));
    expect(c.callsTo('settings.set')).toEqual([{ language: 'fr' }]);
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Paramètres' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Navigation principale' });
    for (const name of ['API', 'Passerelle', 'Paramètres']) expect(within(nav).getByRole('link', { name })).toBeTruthy();
    // The link's name carries the expiry warning of its badge.
    expect(within(nav).getByRole('link', { name: 'Certificats clients 1 certificat expire dans les 30 jours ou a expiré' })).toBeTruthy();
    expect(within(nav).getByText('Sécurité')).toBeTruthy();

    window.location.hash = '#/security/client-certificates';
    await user.click(await within(main()).findByRole('button', { name: 'Charger un certificat' }));
    let dialog = await screen.findByRole('dialog', { name: 'Charger un certificat' });
    expect(within(dialog).getByRole('button', { name: 'Charger' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Annuler' }));
    await dialogClosed();

    await user.click(within(main()).getByRole('button', { name: 'Supprimer client1' }));
    // client1 is in use: the first dialog says so, in French.
    dialog = await screen.findByRole('dialog', { name: 'Ce certificat est utilisé' });
    expect(within(dialog).getByText(/Il ne peut pas être supprimé tant que ces API l'utilisent/)).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Orders' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Fermer' }));
    await dialogClosed();

    window.location.hash = '#/apis/orders/security';
    expect(await within(main()).findByRole('combobox', { name: "Avec informations d'identification" })).toBeTruthy();
    expect(within(main()).getByRole('combobox', { name: /Certificat client/ })).toBeTruthy();
    expect(within(main()).getByRole('button', { name: 'Enregistrer' })).toBeTruthy();
    expect(within(main()).getByRole('tab', { name: 'Stratégies' })).toBeTruthy();
    expect(within(main()).getByRole('tab', { name: 'Sécurité' })).toBeTruthy();
    await user.click(within(main()).getByRole('combobox', { name: "Avec informations d'identification" }));
    expect(await screen.findByRole('option', { name: 'Certificats mutuels' })).toBeTruthy();
  });

  it('shows a settings error in words', async () => {
    const c = client();
    const { user } = renderApp('#/settings', c);
    c.failNext('settings.set', 'keychain-unavailable');
    await user.click(await within(main()).findByRole('radio', { name: 'Dark' }));
    expect((await within(main()).findByRole('alert')).textContent).toContain('The system keychain is not available');
  });
});

describe('Themes', () => {
  it('renders the dark theme when chosen, and the light one by default', async () => {
    const { user } = renderApp('#/settings', client());
    const provider = () => document.querySelector('.fui-FluentProvider');
    await within(main()).findByRole('radio', { name: 'Dark' });
    expect(provider()?.getAttribute('data-theme')).toBe('light');
    await user.click(within(main()).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(provider()?.getAttribute('data-theme')).toBe('dark'));
  });

  it('follows the system colour scheme when set to "system"', async () => {
    const original = window.matchMedia;
    window.matchMedia = ((query: string) => ({ ...original(query), matches: query === '(prefers-color-scheme: dark)' })) as typeof window.matchMedia;
    try {
      const c = client();
      c.settings = { language: 'en', theme: 'system' };
      renderApp('#/settings', c);
      await within(main()).findByRole('radio', { name: 'Same as the system', checked: false });
      expect(document.querySelector('.fui-FluentProvider')?.getAttribute('data-theme')).toBe('dark');
    } finally {
      window.matchMedia = original;
    }
  });
});
