import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from './fake-client';
import { main, renderApp } from './render-app';

const PAGE = '#/gateway/export';

function withApis(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso' });
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  client.addApi({ id: 'open', displayName: 'Open' });
  return client;
}

const { createObjectURL, revokeObjectURL } = URL;

afterEach(() => {
  vi.restoreAllMocks();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
});

describe('Export page', () => {
  it('is under Gateway in the navigation', async () => {
    renderApp('#/gateway', withApis());
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const link = within(nav).getByRole('link', { name: 'Export' });
    expect(link.getAttribute('href')).toBe('#/gateway/export');
    expect(link.closest('ul')?.getAttribute('aria-label')).toBe('Gateway');
  });

  it('shows loading, then the Kong preview: files, warnings, and the note on private keys', async () => {
    const client = withApis();
    const release = client.hold('export.preview');
    renderApp(PAGE, client);
    expect(await within(main()).findByText('Loading…')).toBeTruthy();
    release();
    expect(await within(main()).findByRole('heading', { level: 2, name: '2 files' })).toBeTruthy();
    expect(client.callsTo('export.preview')).toEqual([{ format: 'kong' }]);
    const format = within(main()).getByRole('radiogroup', { name: 'Format' });
    expect((within(format).getByRole('radio', { name: 'Kong' }) as HTMLInputElement).checked).toBe(true);
    expect(within(main()).getByText('Private keys are never included from the console')).toBeTruthy();
    expect(main().textContent).toContain('Use certgate export --with-keys on this machine to write key files.');
    expect(main().textContent).toContain('certgate export --format kong --out ./kong-export --with-keys');
    const warnings = within(main()).getByText('1 warning').closest('.fui-MessageBar') as HTMLElement;
    expect(warnings.textContent).toContain('"Open" presents no client certificate to its back end.');

    // The first file is shown as plain text; the key file is listed without content or download.
    const kong = main().querySelector('[data-path="kong.yaml"]') as HTMLElement;
    expect(within(kong).getByRole('button', { name: 'Hide kong.yaml' }).getAttribute('aria-expanded')).toBe('true');
    expect(kong.querySelector('pre')?.textContent).toContain('_format_version: "3.0"');
    const key = main().querySelector('[data-path="keys/client1.key"]') as HTMLElement;
    expect(within(key).getByText('Private key: not included')).toBeTruthy();
    expect(key.textContent).toContain('only "certgate export --with-keys" writes it');
    expect(within(key).queryByRole('button', { name: /Download/ })).toBeNull();
  });

  it('downloads a file through a Blob and an object URL', async () => {
    const create = vi.fn((_blob: Blob) => 'blob:certgate/1');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { user } = renderApp(PAGE, withApis());
    await user.click(await within(main()).findByRole('button', { name: 'Download kong.yaml' }));
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('kong.yaml');
    expect(clicked[0]?.getAttribute('href')).toBe('blob:certgate/1');
    const blob = create.mock.calls[0]?.[0] as Blob;
    expect(blob.type).toBe('application/yaml;charset=utf-8');
    expect(await blob.text()).toContain('url: https://localhost:9443');
    // The temporary link is gone from the page.
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('switches format: Azure API Management policies show in the XML viewer, other files as text', async () => {
    const { user, client } = renderApp(PAGE, withApis());
    await within(main()).findByRole('heading', { level: 2, name: '2 files' });
    await user.click(within(main()).getByRole('radio', { name: 'Azure API Management' }));
    expect(await within(main()).findByRole('heading', { level: 2, name: '5 files' })).toBeTruthy();
    expect(client.callsTo('export.preview').at(-1)).toEqual({ format: 'apim' });
    expect(main().textContent).toContain('certgate export --format apim --out ./apim-export --with-keys');
    const policy = main().querySelector('[data-path="policies/orders.xml"]') as HTMLElement;
    const show = within(policy).getByRole('button', { name: 'Show policies/orders.xml' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await user.click(show);
    const viewer = await within(policy).findByTestId('xml-viewer');
    const content = await waitFor(() => {
      const element = viewer.querySelector('.cm-content');
      if (!element) throw new Error('no editor yet');
      return element;
    });
    expect(content.getAttribute('aria-label')).toBe('policies/orders.xml');
    expect(content.getAttribute('aria-readonly')).toBe('true');
    expect(content.textContent).toContain('<authentication-certificate certificate-id="client1" />');
    await user.click(within(policy).getByRole('button', { name: 'Hide policies/orders.xml' }));
    expect(within(policy).queryByTestId('xml-viewer')).toBeNull();
  });

  it('says there is nothing to export without APIs', async () => {
    renderApp(PAGE, new FakeClient());
    expect(await within(main()).findByRole('heading', { name: 'Nothing to export yet' })).toBeTruthy();
  });

  it('shows an error in words, and recovers on retry', async () => {
    const client = withApis();
    client.failNext('export.preview', 'store-corrupt', { message: 'EACCES\n    at open (node:fs:1:1)' });
    const { user } = renderApp(PAGE, client);
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain("CertGate's data file cannot be read.");
    expect(alert.textContent).not.toContain('EACCES');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(main()).findByRole('heading', { level: 2, name: '2 files' })).toBeTruthy();
  });

  it('speaks French', async () => {
    const client = withApis();
    client.settings = { language: 'fr', theme: 'light' };
    renderApp(PAGE, client);
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Exporter' })).toBeTruthy();
    expect(await within(main()).findByRole('button', { name: 'Télécharger kong.yaml' })).toBeTruthy();
    expect(main().textContent).toContain('Utilisez certgate export --with-keys sur cette machine pour écrire les fichiers de clés.');
    expect(within(main()).getByRole('radio', { name: 'Gestion des API Azure' })).toBeTruthy();
  });
});
