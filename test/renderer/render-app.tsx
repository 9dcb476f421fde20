/** Render the whole console against a fake client, at a route. */
import { render, screen, waitFor, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../renderer/src/app';
import { FakeClient } from './fake-client';

/** What a test gets back. */
export interface Rendered extends RenderResult {
  readonly client: FakeClient;
  readonly user: ReturnType<typeof userEvent.setup>;
}

/** Go to `hash`, render the app with `client` (a fresh fake by default). */
export function renderApp(hash: string, client = new FakeClient()): Rendered {
  window.location.hash = hash;
  const user = userEvent.setup();
  const result = render(<App client={client} />);
  return { ...result, client, user };
}

/** The main region (pages render there; dialogs render in portals outside it). */
export function main(): HTMLElement {
  return screen.getByRole('main');
}

/** Wait until no dialog is open and the page is back in the accessibility tree (focus management is async). */
export async function dialogClosed(): Promise<void> {
  await waitFor(() => {
    if (screen.queryByRole('dialog')) throw new Error('a dialog is still open');
    screen.getByRole('main');
  });
}
