/**
 * The first page's data is asked for before the console renders (renderer/src/first-loads.ts): the hooks of
 * the first render take those answers (one call each, no loading state when they have arrived), and every
 * later load asks the client again.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/app';
import { forgetPrimed, primeFirstPage } from '../../renderer/src/first-loads';
import { FakeClient, makeThumbprint } from './fake-client';
import { main } from './render-app';

const PAGE = '#/security/client-certificates';

function client(): FakeClient {
  const fake = new FakeClient();
  fake.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 });
  fake.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  return fake;
}

describe('first page loads', () => {
  it('renders the answers asked for before rendering at once, and asks once for each', async () => {
    const fake = client();
    window.location.hash = PAGE;
    primeFirstPage(fake, window.location.hash);
    await waitFor(() => expect(fake.callsTo('certificates.list')).toHaveLength(1));
    // Let the primed answers arrive (the fake answers on a later tick), then render: no "Loading…".
    await new Promise((resolve) => setTimeout(resolve, 20));
    render(<App client={fake} />);
    const table = within(main()).getByRole('table', { name: 'Client certificates' });
    expect(within(table).getByText('client1')).toBeTruthy();
    expect(within(main()).queryByText('Loading…')).toBeNull();
    // The nav badge and the page share the primed expiring list; nothing was asked twice.
    await waitFor(() => expect(screen.getByRole('img', { name: /expir/i })).toBeTruthy());
    for (const name of ['certificates.list', 'certificates.expiring', 'certificates.rotations', 'apis.list', 'settings.get', 'app.info', 'gateway.status'] as const)
      expect(fake.callsTo(name), name).toHaveLength(1);
  });

  it('forgets the primed answers after the first render: a later page asks again', async () => {
    const fake = client();
    window.location.hash = PAGE;
    primeFirstPage(fake, window.location.hash);
    const first = render(<App client={fake} />);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    first.unmount();
    render(<App client={fake} />);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    await waitFor(() => expect(fake.callsTo('certificates.list')).toHaveLength(2));
  });

  it('asks for the APIs list and its credentials on the APIs page, and nothing of the certificates page', () => {
    const fake = client();
    primeFirstPage(fake, '#/apis');
    const asked = fake.calls.map((c) => c.name);
    expect(asked).toEqual(expect.arrayContaining(['apis.list', 'security.list', 'settings.get', 'app.info', 'gateway.status', 'certificates.expiring']));
    expect(asked).not.toContain('certificates.list');
    forgetPrimed();
  });
});
