import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeCertificateBlob, FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

const PAGE = '#/security/client-certificates';

function withUsers(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF') });
  client.addCertificate({ id: 'spare', subject: 'CN=spare,O=Contoso', thumbprint: makeThumbprint('5A5A') });
  client.addApi({ id: 'orders', displayName: 'Orders', certificateId: 'client1' });
  client.addApi({ id: 'billing', displayName: 'Billing', certificateId: 'client1' });
  return client;
}

const NEXT = { subject: 'CN=client1 2025,O=Contoso', password: 'n3w', thumbprint: makeThumbprint('FACE') };

async function openReplace(user: ReturnType<typeof renderApp>['user'], name = 'client1'): Promise<HTMLElement> {
  const table = await within(main()).findByRole('table', { name: 'Client certificates' });
  await user.click(within(table).getByRole('button', { name: `Replace ${name}` }));
  return screen.findByRole('dialog', { name: `Replace ${name}` });
}

describe('Replace (rotation)', () => {
  it('refuses a wrong password at the field, then switches every API after a passing preflight, and rolls back', async () => {
    const { user, client } = renderApp(PAGE, withUsers());
    const dialog = await openReplace(user);
    expect(dialog.textContent).toContain('2 APIs use it: Orders, Billing');
    await user.upload(within(dialog).getByLabelText(/Replacement certificate file/), fakeCertificateBlob(NEXT, 'client1-2025.pfx'));
    expect(within(dialog).getByText(/client1-2025\.pfx/)).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Password'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Replace' }));
    expect(await within(dialog).findByText('The password is wrong for this file.')).toBeTruthy();
    expect(client.certificates.size).toBe(2);

    await user.clear(within(dialog).getByLabelText('Password'));
    await user.type(within(dialog).getByLabelText('Password'), 'n3w');
    await user.click(within(dialog).getByRole('button', { name: 'Replace' }));
    expect(await within(dialog).findByText('Switched 2 APIs to client1 2025. The change is live.')).toBeTruthy();
    const rotate = client.callsTo('certificates.rotate')[1] as { id: string; password: string; fileName: string; apiIds?: string[] };
    expect(rotate).toMatchObject({ id: 'client1', password: 'n3w', fileName: 'client1-2025.pfx' });
    expect(rotate.apiIds).toBeUndefined();
    const preflight = within(dialog).getByRole('list', { name: 'Check of each API with the new certificate' });
    expect(within(preflight).getAllByText('Accepted')).toHaveLength(2);
    expect(client.policies.get('orders')).toContain('certificate-id="client1-2"');
    expect(client.policies.get('billing')).toContain('certificate-id="client1-2"');

    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(await within(dialog).findByText('Rolled back: 2 APIs present client1 again.')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Roll back' })).toBeNull();
    expect(client.policies.get('orders')).toContain('certificate-id="client1"');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await dialogClosed();

    // The new certificate is in the table, and the rotation in the list, rolled back.
    const table = within(main()).getByRole('table', { name: 'Client certificates' });
    expect(within(table).getByText('client1 2025')).toBeTruthy();
    const rotations = within(main()).getByRole('table', { name: 'Rotations' });
    await waitFor(() => expect(rotations.textContent).toContain('client1 → client1 2025'));
    expect(rotations.textContent).toMatch(/Rolled back on/);
    expect(within(rotations).queryByRole('button', { name: /Roll back/ })).toBeNull();
  });

  it('switches nothing when the preflight fails; the operator ticks the APIs to switch, and the same file is sent again', async () => {
    const client = withUsers();
    client.backends.set('orders', { rejects: ['client1-2'] });
    const { user } = renderApp(PAGE, client);
    const dialog = await openReplace(user);
    await user.upload(within(dialog).getByLabelText(/Replacement certificate file/), fakeCertificateBlob(NEXT, 'next.pfx'));
    await user.type(within(dialog).getByLabelText('Password'), 'n3w');
    await user.click(within(dialog).getByRole('button', { name: 'Replace' }));
    expect(await within(dialog).findByText('Nothing was switched')).toBeTruthy();
    expect(client.policies.get('orders')).toContain('certificate-id="client1"');
    expect(client.policies.get('billing')).toContain('certificate-id="client1"');
    expect(client.certificates.has('client1-2')).toBe(true);

    const preflight = within(dialog).getByRole('list', { name: 'Check of each API with the new certificate' });
    const orders = preflight.querySelector('[data-api-id="orders"]') as HTMLElement;
    expect(orders.getAttribute('data-preflight')).toBe('failed');
    expect(orders.textContent).toContain('The back end refused the client certificate "client1-2".');
    expect(orders.textContent).toContain('Fix: Have the back end trust its issuer, or choose another certificate.');
    const ordersBox = within(preflight).getByRole('checkbox', { name: 'Switch Orders' }) as HTMLInputElement;
    const billingBox = within(preflight).getByRole('checkbox', { name: 'Switch Billing' }) as HTMLInputElement;
    expect(ordersBox.checked).toBe(false);
    expect(billingBox.checked).toBe(true);
    const switchButton = within(dialog).getByRole('button', { name: 'Switch 1 API' });
    await user.click(billingBox);
    expect(within(dialog).getByRole('button', { name: 'Switch 0 APIs' }).hasAttribute('disabled')).toBe(true);
    await user.click(billingBox);
    await user.click(switchButton);
    expect(await within(dialog).findByText('Switched 1 API to client1 2025. The change is live.')).toBeTruthy();
    const [first, second] = client.callsTo('certificates.rotate') as { data: string; password: string; newId?: string; apiIds?: string[] }[];
    expect(second).toMatchObject({ id: 'client1', newId: 'client1-2', apiIds: ['billing'], password: 'n3w', data: first?.data });
    expect(client.policies.get('billing')).toContain('certificate-id="client1-2"');
    expect(client.policies.get('orders')).toContain('certificate-id="client1"');
  });

  it('only uploads the replacement of a certificate no API uses', async () => {
    const { user } = renderApp(PAGE, withUsers());
    const dialog = await openReplace(user, 'spare');
    expect(dialog.textContent).toContain('No API uses it: the replacement is only uploaded.');
    await user.upload(within(dialog).getByLabelText(/Replacement certificate file/), fakeCertificateBlob({ subject: 'CN=spare2,O=Contoso' }, 'spare2.pfx'));
    await user.click(within(dialog).getByRole('button', { name: 'Replace' }));
    expect(await within(dialog).findByText('spare2 was uploaded. No API used spare, so none was switched.')).toBeTruthy();
  });

  it('says what is wrong with a file that cannot replace it', async () => {
    const client = withUsers();
    const { user } = renderApp(PAGE, client);
    const dialog = await openReplace(user);
    await user.upload(within(dialog).getByLabelText(/Replacement certificate file/), new File(['hello'], 'notes.pfx'));
    await user.click(within(dialog).getByRole('button', { name: 'Replace' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('This file cannot be used');
    expect(alert.textContent).toContain('This is not a PFX/P12 or PEM certificate file');
  });
});

describe('Rotations list', () => {
  it('shows loading, then says there are none yet', async () => {
    const client = withUsers();
    const release = client.hold('certificates.rotations');
    renderApp(PAGE, client);
    await within(main()).findByRole('table', { name: 'Client certificates' });
    const section = within(main()).getByRole('heading', { name: 'Rotations' }).closest('section') as HTMLElement;
    expect(within(section).getByText('Loading…')).toBeTruthy();
    release();
    expect(await within(section).findByText(/^No rotations yet\./)).toBeTruthy();
  });

  it('shows an error in words, and recovers on retry', async () => {
    const client = withUsers();
    client.failNext('certificates.rotations', 'store-corrupt');
    const { user } = renderApp(PAGE, client);
    const section = (await within(main()).findByRole('heading', { name: 'Rotations' })).closest('section') as HTMLElement;
    const alert = await within(section).findByRole('alert');
    expect(alert.textContent).toContain("CertGate's data file cannot be read.");
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(section).findByText(/^No rotations yet\./)).toBeTruthy();
  });

  it('offers "Roll back" on the latest rotation still in effect, and rolls it back', async () => {
    const client = withUsers();
    const data = (thumb: string, subject: string) =>
      Buffer.from(JSON.stringify({ fakeCertificate: { subject, thumbprint: makeThumbprint(thumb) } })).toString('base64');
    await client.call('certificates.rotate', { id: 'client1', data: data('0002', 'CN=second,O=Contoso') });
    await client.call('certificates.rotate', { id: 'client1-2', data: data('0003', 'CN=third,O=Contoso') });
    const { user } = renderApp(PAGE, client);
    const table = await within(main()).findByRole('table', { name: 'Rotations' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    // client1 → second was followed by second → third: only the latest can be rolled back.
    expect(within(table).queryByRole('button', { name: 'Roll back client1 → second' })).toBeNull();
    await user.click(within(table).getByRole('button', { name: 'Roll back second → third' }));
    expect(await screen.findByText('Rolled back: 2 APIs present second again.')).toBeTruthy();
    expect(client.policies.get('orders')).toContain('certificate-id="client1-2"');
    // Now the first rotation is the one in effect.
    expect(await within(table).findByRole('button', { name: 'Roll back client1 → second' })).toBeTruthy();
  });

  it('shows a refused roll back in words', async () => {
    const client = withUsers();
    await client.call('certificates.rotate', {
      id: 'client1',
      data: Buffer.from(JSON.stringify({ fakeCertificate: { subject: 'CN=second,O=Contoso' } })).toString('base64'),
    });
    // Someone switched the APIs elsewhere meanwhile, without an event reaching this console.
    client.policies.set('orders', client.policies.get('orders')!.replace('client1-2', 'spare'));
    client.policies.set('billing', client.policies.get('billing')!.replace('client1-2', 'spare'));
    const { user } = renderApp(PAGE, client);
    const table = await within(main()).findByRole('table', { name: 'Rotations' });
    await user.click(within(table).getByRole('button', { name: 'Roll back client1 → second' }));
    const section = table.closest('section') as HTMLElement;
    expect((await within(section).findByRole('alert')).textContent).toContain('Some of the input is not valid. None of the APIs');
  });
});
