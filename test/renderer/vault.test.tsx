import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient } from './fake-client';
import { main, renderApp } from './render-app';

function bar(): HTMLElement {
  return screen.getByRole('status', { name: 'Gateway status' });
}

describe('the vault in the console', () => {
  it('the status bar says the keys are in the system keychain, and shows no unlock form', async () => {
    renderApp('#/apis');
    await waitFor(() => expect(bar().textContent).toContain('Vault: system keychain'));
    expect(screen.queryByRole('region', { name: 'The vault is locked' })).toBeNull();
  });

  it('an unlocked passphrase vault is named in the status bar', async () => {
    const client = new FakeClient();
    client.vault = { protection: 'passphrase', locked: false };
    renderApp('#/apis', client);
    await waitFor(() => expect(bar().textContent).toContain('Vault: passphrase'));
    expect(bar().textContent).not.toContain('locked');
    expect(screen.queryByRole('region', { name: 'The vault is locked' })).toBeNull();
  });

  it('a locked passphrase vault: the form asks; a wrong passphrase is said at the field, which keeps the focus; the right one unlocks', async () => {
    const client = new FakeClient();
    client.vault = { protection: 'passphrase', locked: true };
    const { user } = renderApp('#/apis', client);
    const form = await within(main()).findByRole('region', { name: 'The vault is locked' });
    expect(bar().textContent).toContain('Vault: passphrase, locked');
    const field = within(form).getByLabelText('Vault passphrase');
    expect(field.getAttribute('type')).toBe('password');

    await user.type(field, 'wrong one');
    await user.click(within(form).getByRole('button', { name: 'Unlock' }));
    expect(await within(form).findByText('The vault passphrase is wrong. Nothing was changed.')).toBeTruthy();
    expect(document.activeElement).toBe(field);
    expect(client.vault.locked).toBe(true);

    await user.clear(field);
    await user.type(field, `${client.vaultPassphrase}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'The vault is locked' })).toBeNull());
    expect(client.vault.locked).toBe(false);
    await waitFor(() => expect(bar().textContent).toContain('Vault: passphrase'));
    expect(bar().textContent).not.toContain('locked');
  });

  it('in French', async () => {
    const client = new FakeClient();
    client.settings = { ...client.settings, language: 'fr' };
    client.vault = { protection: 'passphrase', locked: true };
    renderApp('#/apis', client);
    const form = await within(main()).findByRole('region', { name: 'Le coffre est verrouillé' });
    expect(within(form).getByLabelText('Phrase secrète du coffre')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('phrase secrète, verrouillé'));
  });
});
