/**
 * "Import OpenAPI" on the APIs page (issue 15): a file or pasted text, a preview of what will be created, updated
 * and removed (nothing stored until Import), and refusals (invalid document, external $ref, too large) shown at
 * the document with nothing stored.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient } from './fake-client';
import { dialogClosed, main, renderApp, type Rendered } from './render-app';

const PETSTORE = readFileSync(path.join(import.meta.dirname, '../fixtures/openapi/petstore.yaml'), 'utf8');

async function openImport(r: Rendered): Promise<HTMLElement> {
  await r.user.click(await within(main()).findByRole('button', { name: 'Import OpenAPI' }));
  return screen.findByRole('dialog', { name: 'Import OpenAPI' });
}

async function paste(r: Rendered, dialog: HTMLElement, text: string): Promise<void> {
  await r.user.click(within(dialog).getByRole('radio', { name: 'Pasted text' }));
  const area = within(dialog).getByLabelText(/OpenAPI description/);
  await r.user.click(area);
  await r.user.paste(text);
}

describe('Import OpenAPI', () => {
  it('previews the Petstore from pasted YAML, stores nothing, then imports it and opens its operations', async () => {
    const r = renderApp('#/apis', new FakeClient());
    const dialog = await openImport(r);
    await paste(r, dialog, PETSTORE);
    await r.user.type(within(dialog).getByLabelText(/URL suffix/), 'petstore');
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const preview = await within(dialog).findByTestId('import-preview');
    expect(preview.textContent).toContain('Creates the API Swagger Petstore (swagger-petstore) at the URL suffix /petstore.');
    expect(preview.textContent).toContain('Web service URL: http://petstore.swagger.io/v1');
    expect(within(preview).getByRole('list', { name: '3 operations to create' }).textContent).toBe('listPetscreatePetsshowPetById');
    expect(r.client.callsTo('apis.import').at(-1)).toMatchObject({ format: 'openapi', path: 'petstore', confirm: false });
    expect(r.client.apis.size).toBe(0);

    await r.user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await dialogClosed();
    expect(await screen.findByText('Imported Swagger Petstore: 3 created, 0 updated, 0 removed.')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe('#/apis/swagger-petstore/operations'));
    const table = await within(main()).findByRole('table', { name: 'Operations' }, { timeout: 10_000 });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(within(table).getByText('/pets/{petId}')).toBeTruthy();
  });

  it('re-imports from a file: the preview lists the operations to remove; a change after the preview asks for a new one', async () => {
    const client = new FakeClient();
    const r = renderApp('#/apis', client);
    await client.call('apis.import', { format: 'openapi', value: PETSTORE, path: 'petstore', confirm: true });
    const dialog = await openImport(r);
    const fewer = PETSTORE.replace(/ {4}post:[\s\S]*?(?=\n {2}\/pets\/\{petId\})/, '');
    await r.user.upload(within(dialog).getByLabelText(/OpenAPI file/), new File([fewer], 'petstore.yaml', { type: 'application/yaml' }));
    await r.user.type(within(dialog).getByLabelText(/URL suffix/), 'petstore');
    await r.user.type(within(dialog).getByLabelText(/API id/), 'swagger-petstore');
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const preview = await within(dialog).findByTestId('import-preview');
    expect(preview.textContent).toContain('Updates the API Swagger Petstore (swagger-petstore)');
    expect(preview.textContent).toContain('2 operations to update (their policies are kept)');
    expect(within(preview).getByRole('list', { name: /1 operation to remove/ }).textContent).toBe('createPets');

    await r.user.type(within(dialog).getByLabelText(/Web service URL/), 'https://localhost:9443');
    expect(within(dialog).queryByTestId('import-preview')).toBeNull();
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect((await within(dialog).findByTestId('import-preview')).textContent).toContain('Web service URL: https://localhost:9443');
    await r.user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await dialogClosed();
    expect(client.operationStore.of('swagger-petstore').map((o) => o.id)).toEqual(['listPets', 'showPetById']);
    expect(client.apis.get('swagger-petstore')?.serviceUrl).toBe('https://localhost:9443');
  });

  it('shows an external $ref, an invalid document and a taken URL suffix clearly, and stores nothing', async () => {
    const client = new FakeClient();
    client.addApi({ id: 'orders', displayName: 'Orders', path: 'orders' });
    const r = renderApp('#/apis', client);
    const dialog = await openImport(r);
    await paste(r, dialog, PETSTORE.replace('$ref: "#/components/schemas/Pets"', '$ref: "https://example.com/pets.yaml"'));
    await r.user.type(within(dialog).getByLabelText(/URL suffix/), 'petstore');
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const document = within(dialog).getByLabelText(/OpenAPI description/);
    await waitFor(() => expect(document.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText(/refers to "https:\/\/example\.com\/pets\.yaml" outside itself/)).toBeTruthy();

    await r.user.clear(document);
    await r.user.paste('{"swagger": "2.0"}');
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByText(/This is not an OpenAPI 3\.0 or 3\.1 document/)).toBeTruthy();
    expect(r.client.callsTo('apis.import').at(-1)).toMatchObject({ format: 'openapi+json' });

    await r.user.clear(document);
    await r.user.paste(PETSTORE);
    await r.user.clear(within(dialog).getByLabelText(/URL suffix/));
    await r.user.type(within(dialog).getByLabelText(/URL suffix/), 'orders');
    await r.user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByText('This URL suffix is used by the API orders. Choose another, or give the id orders to update that API.')).toBeTruthy();
    expect([...client.apis.keys()]).toEqual(['orders']);
  });

  it('refuses a file over 32 MiB before reading or sending it', async () => {
    const r = renderApp('#/apis', new FakeClient());
    const dialog = await openImport(r);
    const big = new File(['{}'], 'github.json', { type: 'application/json' });
    Object.defineProperty(big, 'size', { value: 33 * 1024 * 1024 });
    await r.user.upload(within(dialog).getByLabelText(/OpenAPI file/), big);
    expect(await within(dialog).findByText('The document is larger than 32 MiB: nothing was imported.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Preview' }) as HTMLButtonElement).disabled).toBe(true);
    expect(r.client.callsTo('apis.import')).toHaveLength(0);
  });
});
