import { forEachDiagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient, makeThumbprint } from './fake-client';
import { main, renderApp } from './render-app';

function withApi(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 });
  client.addCertificate({ id: 'client2', subject: 'CN=client2,O=Contoso', thumbprint: makeThumbprint('0A0B'), expiresInDays: 300 });
  client.addApi({ id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://localhost:9443' });
  return client;
}

async function editorView(): Promise<EditorView> {
  const content = await waitFor(() => {
    // The policy editor, not the read-only effective policy beside it.
    const element = document.querySelector('[data-testid="policy-editor"] .cm-content');
    if (!element) throw new Error('no editor yet');
    return element as HTMLElement;
    // The API page and the editor are each loaded on first use (two lazy chunks): give them time.
  }, { timeout: 10_000 });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no view');
  return view;
}

describe('APIs list', () => {
  it('shows loading, then the empty state with the offline hint and "Add API"', async () => {
    const client = new FakeClient();
    const release = client.hold();
    renderApp('#/apis', client);
    expect(await within(main()).findByText('Loading…')).toBeTruthy();
    release();
    expect(await within(main()).findByRole('heading', { name: 'No APIs yet' })).toBeTruthy();
    expect(within(main()).getByText(/npx certgate echo-backend/)).toBeTruthy();
    expect(within(main()).getByRole('button', { name: 'Add API' })).toBeTruthy();
  });

  it('shows an error in words', async () => {
    const client = withApi();
    client.failNext('apis.list', 'locked');
    renderApp('#/apis', client);
    expect((await within(main()).findByRole('alert')).textContent).toContain('Another CertGate instance owns this data folder.');
  });

  it('lists APIs with links to their pages', async () => {
    renderApp('#/apis', withApi());
    const link = await within(main()).findByRole('link', { name: 'Orders' });
    expect(link.getAttribute('href')).toBe('#/apis/orders/settings');
    expect(within(main()).getByText('https://localhost:9443')).toBeTruthy();
  });

  it('adds an API and opens its Security tab', async () => {
    const { user, client } = renderApp('#/apis', withApi());
    await user.click(await within(main()).findByRole('button', { name: 'Add API' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add API' });
    await user.type(within(dialog).getByLabelText(/Display name/), 'Echo service');
    expect((within(dialog).getByLabelText(/URL suffix/) as HTMLInputElement).value).toBe('echo-service');
    await user.type(within(dialog).getByLabelText(/Web service URL/), 'not a url');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText(/The web service URL must be an absolute/)).toBeTruthy();
    await user.clear(within(dialog).getByLabelText(/Web service URL/));
    await user.type(within(dialog).getByLabelText(/Web service URL/), 'https://localhost:9443');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('API Echo service created.')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe('#/apis/echo-service/security'));
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Echo service' })).toBeTruthy();
    expect(client.apis.get('echo-service')?.serviceUrl).toBe('https://localhost:9443');
  });
});

describe('API page', () => {
  it('has the tabs Settings, Operations, Security, Policies, Test and the gateway URL', async () => {
    renderApp('#/apis/orders/settings', withApi());
    const tabs = await within(main()).findByRole('tablist', { name: 'API sections' });
    expect(within(tabs).getAllByRole('tab')).toHaveLength(5);
    for (const name of ['Settings', 'Operations', 'Security', 'Policies', 'Test']) expect(within(tabs).getByRole('tab', { name })).toBeTruthy();
    expect(within(tabs).getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
    expect(within(main()).getByText('http://127.0.0.1:8787/orders')).toBeTruthy();
  });

  it('shows not-found in words for an unknown API', async () => {
    renderApp('#/apis/nope/settings', withApi());
    expect((await within(main()).findByRole('alert')).textContent).toContain('It no longer exists');
  });

  it('saves mutual certificates: the change is live and the policy shows authentication-certificate', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Mutual certificates' }));
    await user.click(within(main()).getByRole('combobox', { name: /Client certificate/ }));
    const option = await screen.findByRole('option', { name: /client1, ending BEEF, expires in 10 days/ });
    expect(option.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('BEEF');
    await user.click(option);
    await user.click(within(main()).getByRole('checkbox', { name: 'Validate certificate name' }));
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    // client1 expires in 10 days: the save waits for the operator to go on deliberately.
    await user.click(await within(main()).findByRole('button', { name: 'Save anyway' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway presents client1.')).toBeTruthy();
    expect(client.callsTo('security.set').at(-1)).toEqual({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    expect(client.callsTo('apis.update').at(-1)).toEqual({
      id: 'orders',
      backendTls: { validateCertificateChain: true, validateCertificateName: false, trustedCaCertificateIds: [] },
    });

    await user.click(within(main()).getByRole('tab', { name: 'Policies' }));
    const view = await editorView();
    expect(view.state.doc.toString()).toContain('<authentication-certificate certificate-id="client1" />');
    expect(document.querySelector('[data-testid="policy-editor"] .cm-content')?.getAttribute('aria-label')).toBe('Policy XML');
  });

  it('saves basic credentials, asking for the password', async () => {
    const { user, client } = renderApp('#/apis/orders/security', withApi());
    await user.click(await within(main()).findByRole('combobox', { name: 'With credentials' }));
    await user.click(await screen.findByRole('option', { name: 'Basic' }));
    await user.type(within(main()).getByLabelText(/User name/), 'svc');
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(within(main()).getByText(/Enter the password/)).toBeTruthy();
    await user.type(within(main()).getByLabelText(/^Password/), 'pw');
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Saved. The change is live: the next call through the gateway uses it.')).toBeTruthy();
    expect(client.callsTo('security.set').at(-1)).toEqual({ apiId: 'orders', security: { type: 'basic', username: 'svc', password: 'pw' } });
  });

  it('marks a refused policy at the line and column the core reports', async () => {
    const { user, client } = renderApp('#/apis/orders/policies', withApi());
    const view = await editorView();
    const line = view.state.doc.line(3);
    view.dispatch({ changes: { from: line.to, insert: '\n    <rate-limitt calls="5" />' } });
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain('The policy was not saved');
    expect(alert.textContent).toContain('Line 4, column 5: The element <rate-limitt> is not a known policy element.');
    const marks: { from: number; to: number; message: string }[] = [];
    forEachDiagnostic(view.state, (d, from, to) => marks.push({ from, to, message: d.message }));
    expect(marks).toHaveLength(1);
    const mark = marks[0]!;
    expect(view.state.doc.sliceString(mark.from, mark.to)).toBe('rate-limitt');
    expect(view.state.doc.lineAt(mark.from).number).toBe(4);
    expect(within(main()).getByText('Unsaved changes')).toBeTruthy();
    expect(client.policies.get('orders')).not.toContain('rate-limitt');

    // Fix it: the marker goes and the policy saves.
    const bad = view.state.doc.line(4);
    view.dispatch({ changes: { from: bad.from - 1, to: bad.to } });
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Policy saved. The change is live.')).toBeTruthy();
    const after: unknown[] = [];
    forEachDiagnostic(view.state, (d) => after.push(d));
    expect(after).toHaveLength(0);
  });

  it('shows a stored policy that does not parse (kept as stored) at its line and column, until a fixed one is saved', async () => {
    const client = withApi();
    const stored = '<policies>\n  <inbound>\n    <base />\n    <rate-limitt calls="5" />\n  </inbound>\n</policies>\n';
    client.policies.set('orders', stored);
    const { user } = renderApp('#/apis/orders/policies', client);
    const view = await editorView();
    expect(view.state.doc.toString()).toBe(stored);
    const bar = await within(main()).findByText(/This stored policy is not valid: the API is not served/);
    expect(bar.closest('.fui-MessageBar')?.textContent).toContain('Line 4, column 5: The element <rate-limitt> is not a known policy element.');
    const marks: number[] = [];
    forEachDiagnostic(view.state, (_d, from) => marks.push(view.state.doc.lineAt(from).number));
    expect(marks).toEqual([4]);

    const bad = view.state.doc.line(4);
    view.dispatch({ changes: { from: bad.from - 1, to: bad.to } });
    // The page has taken the edit (a Save clicked before that re-render would save the stored text again).
    expect(await within(main()).findByText('Unsaved changes')).toBeTruthy();
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Policy saved. The change is live.')).toBeTruthy();
    expect(within(main()).queryByText(/This stored policy is not valid/)).toBeNull();
  });

  it('sends a test call and explains a gateway error code', async () => {
    const { user, client } = renderApp('#/apis/orders/test', withApi());
    await user.clear(await within(main()).findByLabelText(/^Path/));
    await user.type(within(main()).getByLabelText(/^Path/), '/echo?x=1');
    await user.click(within(main()).getByRole('button', { name: 'Send' }));
    const result = await within(main()).findByRole('region', { name: 'Response' });
    expect(within(result).getByTestId('test-status').textContent).toBe('502');
    expect(within(result).getByText('backend-certificate-required')).toBeTruthy();
    expect(result.textContent).toContain('The back end asked for a client certificate and the gateway had none to present.');
    expect(within(result).getByText('None')).toBeTruthy();
    expect(client.callsTo('gateway.testCall').at(-1)).toEqual({ apiId: 'orders', method: 'GET', path: '/echo?x=1' });

    // Secure it, send again: the certificate presented is shown by its last four characters.
    await client.call('security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    await user.click(within(main()).getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(within(main()).getByTestId('test-status').textContent).toBe('200'));
    const ok = within(main()).getByRole('region', { name: 'Response' });
    expect(ok.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('BEEF');
    expect(ok.textContent).toContain('content-type: application/json');
    expect(ok.textContent).toContain('"clientCertificate":"CN=client1,O=Contoso"');
  });

  it('says when the gateway is not running', async () => {
    const client = withApi();
    client.status = { ...client.status, state: 'stopped', url: null };
    const { user } = renderApp('#/apis/orders/test', client);
    await user.click(await within(main()).findByRole('button', { name: 'Send' }));
    expect((await within(main()).findByRole('alert')).textContent).toContain('The gateway is not running');
  });

  it('checks header lines before sending', async () => {
    const { user, client } = renderApp('#/apis/orders/test', withApi());
    await user.type(await within(main()).findByLabelText(/Request headers/), 'X-Ok: 1{Enter}broken');
    await user.click(within(main()).getByRole('button', { name: 'Send' }));
    expect(within(main()).getByText('Line 2 is not a "Name: value" header.')).toBeTruthy();
    expect(client.callsTo('gateway.testCall')).toHaveLength(0);
  });
});
