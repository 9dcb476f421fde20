import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient, makeThumbprint } from './fake-client';
import { main, renderApp } from './render-app';

function withApi(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF') });
  client.addCertificate({ id: 'client2', subject: 'CN=client2,O=Contoso', thumbprint: makeThumbprint('0A0B') });
  client.addApi({ id: 'orders', displayName: 'Orders', serviceUrl: 'https://localhost:9443', certificateId: 'client1' });
  return client;
}

describe('Security tab: basic credentials', () => {
  it('keeps the stored password when Basic is saved again with the password left empty', async () => {
    const client = withApi();
    await client.call('security.set', { apiId: 'orders', security: { type: 'basic', username: 'svc', password: 'pw' } });
    const { user } = renderApp('#/apis/orders/security', client);
    const password = await within(main()).findByLabelText(/^Password/);
    expect(within(main()).getByText('A password is stored; leave empty to keep it.')).toBeTruthy();
    expect(password.getAttribute('aria-required')).not.toBe('true');
    await user.clear(within(main()).getByLabelText(/User name/));
    await user.type(within(main()).getByLabelText(/User name/), 'svc2');
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway uses it.')).toBeTruthy();
    expect(client.callsTo('security.set').at(-1)).toEqual({ apiId: 'orders', security: { type: 'basic', username: 'svc2' } });
    expect(client.passwords.get('orders')).toBe('pw');
  });

  it('asks for the password when none is stored yet', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Basic' }));
    expect(within(main()).getByText('Never shown again once saved: type it again to change it.')).toBeTruthy();
    await user.type(within(main()).getByLabelText(/User name/), 'svc');
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(within(main()).getByText(/Enter the password/)).toBeTruthy();
    expect(client.callsTo('security.set')).toHaveLength(0);
  });
});

describe('Security tab: Diagnose', () => {
  it('shows a loading state, then each step, the TLS session, the chain, the client certificate and the status', async () => {
    const client = withApi();
    const { user } = renderApp('#/apis/orders/security', client);
    const button = await within(main()).findByRole('button', { name: 'Diagnose' });
    const release = client.hold();
    await user.click(button);
    expect(await within(main()).findByText('Diagnosing the back end…')).toBeTruthy();
    expect(button.hasAttribute('disabled')).toBe(true);
    release();
    const report = await within(main()).findByRole('region', { name: 'Diagnosis of https://localhost:9443' });
    expect(client.callsTo('apis.diagnose')).toEqual([{ id: 'orders' }]);
    expect(within(report).getByText('No problem found: the back end accepted the gateway and answered.')).toBeTruthy();
    const steps = within(report).getByRole('table', { name: 'Steps of the diagnosis' });
    const names = within(steps).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-step'));
    expect(names).toEqual(['resolve', 'connect', 'tls', 'client-certificate', 'http']);
    expect(within(steps).getByText('TLS handshake')).toBeTruthy();
    expect(within(steps).getAllByText('OK')).toHaveLength(5);
    expect(within(steps).getByText('8 ms')).toBeTruthy();
    expect(within(report).getByText('TLSv1.3')).toBeTruthy();
    expect(within(report).getByText('TLS_AES_256_GCM_SHA384')).toBeTruthy();
    const chain = within(report).getByRole('region', { name: "The back end's certificate chain" });
    expect(within(chain).getByText('CN=localhost')).toBeTruthy();
    expect(chain.textContent).toContain('Issued by CN=Echo CA,O=CertGate');
    expect(chain.textContent).toContain('Names: DNS:localhost, IP Address:127.0.0.1');
    expect(chain.textContent).toMatch(/Valid from .+ to .+/);
    expect(within(report).getAllByText('Valid')).toHaveLength(2);
    expect(report.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('BEEF');
    expect(report.textContent).toContain('Demanded by the back end');
    expect(within(report).getByText('200')).toBeTruthy();
    // Focus moves to the report, so it is announced.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Diagnosis of https://localhost:9443'));
  });

  it('puts the problems and their fixes first when the back end refuses the certificate', async () => {
    const client = withApi();
    client.backends.set('orders', { rejects: ['client1'] });
    const { user } = renderApp('#/apis/orders/security', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnose' }));
    const report = await within(main()).findByRole('region', { name: /^Diagnosis of/ });
    const problems = within(report).getByText('1 problem found').closest('.fui-MessageBar');
    expect(problems?.textContent).toContain('The back end refused the client certificate "client1".');
    expect(problems?.textContent).toContain('Fix: Have the back end trust its issuer, or choose another certificate.');
    const steps = within(report).getByRole('table', { name: 'Steps of the diagnosis' });
    expect(steps.querySelector('[data-step="client-certificate"]')?.getAttribute('data-outcome')).toBe('failed');
    expect(steps.querySelector('[data-step="http"]')?.textContent).toContain('Skipped');
    expect(report.textContent).toContain('unknown ca');
    expect(report.textContent).toContain('No answer');
  });

  it('says when the back end cannot be reached', async () => {
    const client = withApi();
    client.backends.set('orders', { unreachable: true });
    const { user } = renderApp('#/apis/orders/security', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnose' }));
    const report = await within(main()).findByRole('region', { name: /^Diagnosis of/ });
    expect(report.textContent).toContain('Nothing is listening at localhost:9443.');
    expect(report.textContent).toContain('Fix: Start the back end, or fix the web service URL.');
    expect(report.textContent).toContain('No TLS session');
  });

  it('diagnoses with the certificate selected but not saved yet', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: /Client certificate/ }));
    await user.click(await screen.findByRole('option', { name: /client2, ending 0A0B/ }));
    await user.click(within(main()).getByRole('button', { name: 'Diagnose' }));
    const report = await within(main()).findByRole('region', { name: /^Diagnosis of/ });
    expect(client.callsTo('apis.diagnose')).toEqual([{ id: 'orders', certificateId: 'client2' }]);
    expect(report.textContent).toContain('Presenting client2, selected here and not saved yet.');
    expect(report.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('0A0B');
    expect(client.policies.get('orders')).toContain('certificate-id="client1"');
  });

  it('shows an error in words when the diagnosis cannot run', async () => {
    const client = withApi();
    client.failNext('apis.diagnose', 'keychain-unavailable', { message: 'Error: dbus\n    at x (y.js:1:1)' });
    const { user } = renderApp('#/apis/orders/security', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnose' }));
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain('The diagnosis could not run');
    expect(alert.textContent).toContain('The system keychain is not available');
    expect(alert.textContent).not.toContain('dbus');
  });

  it('speaks French', async () => {
    const client = withApi();
    client.settings = { language: 'fr', theme: 'light' };
    const { user } = renderApp('#/apis/orders/security', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnostiquer' }));
    const report = await within(main()).findByRole('region', { name: 'Diagnostic de https://localhost:9443' });
    expect(within(report).getByRole('table', { name: 'Étapes du diagnostic' })).toBeTruthy();
    expect(within(report).getByText('Négociation TLS')).toBeTruthy();
    expect(within(report).getAllByText('Réussi')).toHaveLength(5);
  });
});
