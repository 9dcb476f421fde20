/**
 * The console's operations and policy scopes (issue 15): the Operations tab (list, add, edit, delete, the core's
 * refusals at their field), an operation's own policy beside the composed one, and the policy for all APIs.
 */
import { EditorView } from '@codemirror/view';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_XML } from '../../main/core/policy';
import { FakeClient, makeThumbprint } from './fake-client';
import { dialogClosed, main, renderApp } from './render-app';

function withOperations(): FakeClient {
  const client = new FakeClient();
  client.addCertificate({ id: 'refunds-cert', subject: 'CN=refunds,O=Contoso', thumbprint: makeThumbprint('7E57'), expiresInDays: 200 });
  client.addApi({ id: 'orders', displayName: 'Orders', path: 'orders' });
  client.operationStore.add({ apiId: 'orders', id: 'list', displayName: 'List orders', method: 'GET', urlTemplate: '/orders' });
  client.operationStore.add({ apiId: 'orders', id: 'refund', displayName: 'Refund an order', method: 'POST', urlTemplate: '/orders/{orderId}/refund' });
  return client;
}

/** The CodeMirror view inside `container` matching `selector` (the editor or a read-only viewer). */
async function codeView(selector: string): Promise<EditorView> {
  const content = await waitFor(
    () => {
      const element = document.querySelector(`${selector} .cm-content`);
      if (!element) throw new Error(`no ${selector} yet`);
      return element as HTMLElement;
    },
    { timeout: 10_000 },
  );
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no view');
  return view;
}

function replaceText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

const WITH_CERTIFICATE = DEFAULT_POLICY_XML.replace(
  '<inbound>\n        <base />',
  '<inbound>\n        <base />\n        <authentication-certificate certificate-id="refunds-cert" />',
);

describe('Operations tab', () => {
  it('lists the operations with method, template, name and what their policy does', async () => {
    const client = withOperations();
    client.operationStore.policies.set('orders/refund', WITH_CERTIFICATE);
    renderApp('#/apis/orders/operations', client);
    const table = await within(main()).findByRole('table', { name: 'Operations' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-operation-id'))).toEqual(['list', 'refund']);
    expect(within(rows[0]!).getByText('GET')).toBeTruthy();
    expect(within(rows[0]!).getByText('/orders')).toBeTruthy();
    expect(within(rows[0]!).getByRole('link', { name: 'List orders' }).getAttribute('href')).toBe('#/apis/orders/operations/list');
    expect(await within(rows[0]!).findByText("Inherits the API's")).toBeTruthy();
    expect(await within(rows[1]!).findByText('Own credential')).toBeTruthy();
    expect(rows[1]!.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('7E57');
    expect(within(main()).getByText(/2 operations\. A call that matches none is answered 404/)).toBeTruthy();
  });

  it('says an API without operations forwards every path, and adds the first one', async () => {
    const client = new FakeClient();
    client.addApi({ id: 'pets', displayName: 'Pets' });
    const { user } = renderApp('#/apis/pets/operations', client);
    expect(await within(main()).findByRole('heading', { name: 'No operations' })).toBeTruthy();
    expect(within(main()).getByText(/Every path under this API goes to its back end/)).toBeTruthy();
    await user.click(within(main()).getByRole('button', { name: 'Add operation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add operation' });
    await user.type(within(dialog).getByLabelText(/Display name/), 'Show a pet');
    await user.selectOptions(within(dialog).getByLabelText(/Method/), 'GET');
    await user.clear(within(dialog).getByLabelText(/URL template/));
    await user.type(within(dialog).getByLabelText(/URL template/), '/pets/{{petId}');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await dialogClosed();
    expect(await screen.findByText('Operation Show a pet created.')).toBeTruthy();
    expect(client.callsTo('operations.create').at(-1)).toEqual({ apiId: 'pets', displayName: 'Show a pet', method: 'GET', urlTemplate: '/pets/{petId}', description: '' });
    const table = await within(main()).findByRole('table', { name: 'Operations' });
    expect(within(table).getByRole('link', { name: 'Show a pet' })).toBeTruthy();
  });

  it('shows a duplicate method and template, and an invalid template, at the URL template field; nothing is stored', async () => {
    const client = withOperations();
    const { user } = renderApp('#/apis/orders/operations', client);
    await user.click(await within(main()).findByRole('button', { name: 'Add operation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add operation' });
    await user.type(within(dialog).getByLabelText(/Display name/), 'All orders again');
    await user.clear(within(dialog).getByLabelText(/URL template/));
    await user.type(within(dialog).getByLabelText(/URL template/), '/ORDERS');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    const template = within(dialog).getByLabelText(/URL template/);
    await waitFor(() => expect(template.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText('The operation list already answers this method and URL template.')).toBeTruthy();

    client.failNext('operations.create', 'validation', { message: 'The template "/a/{" has an unclosed "{".', details: { field: 'urlTemplate' } });
    await user.clear(template);
    await user.type(template, '/a/{{');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText(/Some of the input is not valid\. The template "\/a\/\{" has an unclosed/)).toBeTruthy();
    expect(client.operationStore.of('orders').map((o) => o.id)).toEqual(['list', 'refund']);
  });

  it('edits an operation, and deletes one after "Yes, delete it"', async () => {
    const client = withOperations();
    const { user } = renderApp('#/apis/orders/operations', client);
    await user.click(await within(main()).findByRole('button', { name: 'Edit List orders' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit operation' });
    expect((within(dialog).getByLabelText(/URL template/) as HTMLInputElement).value).toBe('/orders');
    await user.clear(within(dialog).getByLabelText(/Display name/));
    await user.type(within(dialog).getByLabelText(/Display name/), 'Search orders');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await dialogClosed();
    expect(await within(main()).findByRole('link', { name: 'Search orders' })).toBeTruthy();
    expect(client.operationStore.of('orders')[0]?.displayName).toBe('Search orders');

    await user.click(within(main()).getByRole('button', { name: 'Delete Refund an order' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete operation?' });
    expect(confirm.textContent).toContain('Refund an order (POST /orders/{orderId}/refund)');
    await user.click(within(confirm).getByRole('button', { name: 'Yes, delete it' }));
    await dialogClosed();
    expect(await screen.findByText('Operation Refund an order deleted.')).toBeTruthy();
    await waitFor(() => expect(within(main()).queryByRole('link', { name: 'Refund an order' })).toBeNull());
    expect(client.operationStore.of('orders').map((o) => o.id)).toEqual(['list']);
  });
});

describe('A large API (an imported description)', () => {
  it('pages the operations fifty at a time and filters them by name, id, method or template', async () => {
    const client = new FakeClient();
    client.addApi({ id: 'github', displayName: 'GitHub' });
    for (let i = 0; i < 120; i++) {
      client.operationStore.add({ apiId: 'github', id: `op-${i}`, displayName: `Operation ${i}`, method: i % 2 ? 'POST' : 'GET', urlTemplate: `/repos/{owner}/r${i}` });
    }
    const { user } = renderApp('#/apis/github/operations', client);
    const table = await within(main()).findByRole('table', { name: 'Operations' });
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(within(main()).getByText('Page 1 of 3')).toBeTruthy();
    await user.type(within(main()).getByLabelText('Filter by name, method or URL template'), '/r11');
    // /r11 and /r110 … /r119
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(12));
    expect(within(main()).queryByText(/Page \d of/)).toBeNull();
    await user.clear(within(main()).getByLabelText('Filter by name, method or URL template'));
    await user.type(within(main()).getByLabelText('Filter by name, method or URL template'), 'operation 7');
    await waitFor(() => expect(within(table).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-operation-id'))).toEqual(['op-7', ...Array.from({ length: 10 }, (_, i) => `op-7${i}`)]));
  });
});

describe("An operation's page", () => {
  it("gives the operation its own certificate in its policy; the composed policy shows it after the API's", async () => {
    const client = withOperations();
    const { user } = renderApp('#/apis/orders/operations/refund', client);
    expect(await within(main()).findByRole('heading', { name: 'Refund an order' })).toBeTruthy();
    expect(within(main()).getByText(/POST \/orders\/orders\/\{orderId\}\/refund/)).toBeTruthy();
    const editor = await codeView('[data-testid="policy-editor"]');
    expect(editor.contentDOM.getAttribute('aria-label')).toBe('Policy XML of the operation Refund an order');
    const effective = await codeView('[data-testid="xml-viewer"]');
    expect(effective.state.doc.toString()).not.toContain('refunds-cert');

    replaceText(editor, WITH_CERTIFICATE);
    expect(await within(main()).findByText('Unsaved changes')).toBeTruthy();
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Policy saved. The change is live.')).toBeTruthy();
    expect(client.callsTo('policies.set').at(-1)).toEqual({ apiId: 'orders', operationId: 'refund', xml: WITH_CERTIFICATE });
    await waitFor(async () => expect((await codeView('[data-testid="xml-viewer"]')).state.doc.toString()).toContain('refunds-cert'));
    const composed = (await codeView('[data-testid="xml-viewer"]')).state.doc.toString();
    expect(composed.indexOf('Operation "Refund an order"')).toBeGreaterThan(composed.indexOf('API "Orders"'));

    await user.click(within(main()).getByRole('link', { name: 'All operations' }));
    const row = await waitFor(() => {
      const r = main().querySelector('tr[data-operation-id="refund"]');
      if (!r) throw new Error('no row yet');
      return r as HTMLElement;
    });
    expect(await within(row).findByText('Own credential')).toBeTruthy();
  });

  it('marks a refused operation policy at its line and column', async () => {
    const { user, client } = renderApp('#/apis/orders/operations/list', withOperations());
    const editor = await codeView('[data-testid="policy-editor"]');
    replaceText(editor, DEFAULT_POLICY_XML.replace('<backend>', '<backend>\n        <forward-everything />'));
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain('The policy was not saved');
    expect(alert.textContent).toMatch(/Line 6, column 9: .*forward-everything/);
    expect(client.operationStore.policies.get('orders/list')).toBe(DEFAULT_POLICY_XML);
  });

  it("diagnoses an operation with the credential its composed policy presents: its own, else the API's", async () => {
    const client = withOperations();
    client.addCertificate({ id: 'orders-cert', subject: 'CN=orders,O=Contoso', thumbprint: makeThumbprint('0DE5') });
    await client.call('security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'orders-cert' } });
    client.operationStore.policies.set('orders/refund', WITH_CERTIFICATE);
    client.backends.set('orders', { rejects: ['refunds-cert'] });
    const { user } = renderApp('#/apis/orders/operations/refund', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnose this operation' }));
    const report = await within(main()).findByRole('region', { name: 'Diagnosis of the operation refund: https://localhost:9443' });
    expect(client.callsTo('apis.diagnose')).toEqual([{ id: 'orders', operationId: 'refund' }]);
    expect(report.textContent).toContain('The back end refused the client certificate "refunds-cert".');
    expect(report.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('7E57');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Diagnosis of the operation refund: https://localhost:9443'));

    window.location.hash = '#/apis/orders/operations/list';
    expect(await within(main()).findByRole('heading', { name: 'List orders' })).toBeTruthy();
    expect(within(main()).queryByTestId('diagnosis')).toBeNull();
    await user.click(await within(main()).findByRole('button', { name: 'Diagnose this operation' }));
    const inherited = await within(main()).findByRole('region', { name: 'Diagnosis of the operation list: https://localhost:9443' });
    expect(client.callsTo('apis.diagnose').at(-1)).toEqual({ id: 'orders', operationId: 'list' });
    expect(inherited.textContent).toContain('No problem found');
    expect(inherited.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('0DE5');
  });

  it('names the operation in French', async () => {
    const client = withOperations();
    client.settings = { language: 'fr', theme: 'light' };
    const { user } = renderApp('#/apis/orders/operations/refund', client);
    await user.click(await within(main()).findByRole('button', { name: 'Diagnostiquer cette opération' }));
    expect(await within(main()).findByRole('region', { name: "Diagnostic de l'opération refund\u202f: https://localhost:9443" })).toBeTruthy();
  });

  it('says so when the operation does not exist', async () => {
    renderApp('#/apis/orders/operations/gone', withOperations());
    expect((await within(main()).findByRole('alert')).textContent).toContain('This API has no operation gone');
    expect(within(main()).getByRole('link', { name: 'All operations' })).toBeTruthy();
  });
});

describe('Policy scopes', () => {
  it('reaches the policy for all APIs from the APIs page, saves it, and each API shows it composed in', async () => {
    const client = withOperations();
    const { user } = renderApp('#/apis', client);
    await user.click(await within(main()).findByRole('link', { name: 'Policy for all APIs' }));
    expect(await within(main()).findByRole('heading', { level: 1, name: 'Policy for all APIs' })).toBeTruthy();
    const editor = await codeView('[data-testid="policy-editor"]');
    expect(editor.contentDOM.getAttribute('aria-label')).toBe('Policy XML for all APIs');
    const globalXml = editor.state.doc.toString().replace('<inbound>', '<inbound>\n        <set-header name="X-Gateway" exists-action="override"><value>certgate</value></set-header>');
    replaceText(editor, globalXml);
    await user.click(within(main()).getByRole('button', { name: 'Save' }));
    expect(await within(main()).findByText('Policy saved. The change is live.')).toBeTruthy();
    expect(client.callsTo('globalPolicy.set').at(-1)).toEqual({ xml: globalXml });

    window.location.hash = '#/apis/orders/policies';
    const effective = await codeView('[data-testid="xml-viewer"]');
    await waitFor(() => expect(effective.state.doc.toString()).toContain('X-Gateway'));
    const own = await codeView('[data-testid="policy-editor"]');
    expect(own.state.doc.toString()).not.toContain('X-Gateway');
  });
});
