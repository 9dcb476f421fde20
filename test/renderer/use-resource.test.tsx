/**
 * useResource's answers and refresh(): a load superseded by a newer one is dropped, and awaiting a superseded
 * refresh() ends only once the newest answer shows. A save awaits refresh() and then clears its draft: ended
 * early, the draft was cleared while the state still showed the text from before the save (the editor then
 * took that text for an edit, and the next load said "changed elsewhere").
 */
import { act, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../../preload/contract/result';
import { ClientProvider } from '../../renderer/src/client-context';
import { useResource, type Resource } from '../../renderer/src/use-resource';
import { FakeClient } from './fake-client';

/** A load answered when the test says so. */
function deferred(): { promise: Promise<Result<string>>; answer(value: string): void } {
  let answer: (value: string) => void = () => {};
  const promise = new Promise<Result<string>>((resolve) => {
    answer = (value) => resolve(ok(value));
  });
  return { promise, answer };
}

/** A component showing `useResource`'s value, whose every load the test answers (`loads[n].answer(...)`). */
function renderProbe(): { loads: ReturnType<typeof deferred>[]; resource: () => Resource<string> } {
  const loads: ReturnType<typeof deferred>[] = [];
  let resource: Resource<string> | undefined;
  function Probe(): ReactNode {
    resource = useResource(
      () => {
        const next = deferred();
        loads.push(next);
        return next.promise;
      },
      { key: 'k', refreshOn: () => false },
    );
    return <span data-testid="value">{resource.data ?? 'none'}</span>;
  }
  render(
    <ClientProvider client={new FakeClient()}>
      <Probe />
    </ClientProvider>,
  );
  return {
    loads,
    resource: () => {
      if (!resource) throw new Error('not rendered');
      return resource;
    },
  };
}

describe('useResource', () => {
  it('a superseded refresh() ends only when the newest answer shows, and the older answer never shows', async () => {
    const { loads, resource } = renderProbe();
    await act(async () => loads[0]?.answer('first'));
    expect(screen.getByTestId('value').textContent).toBe('first');

    // A save's refresh, then a change event's refresh asked for before the first answered.
    let savedRefreshEnded = false;
    const saved = resource().refresh().then(() => {
      savedRefreshEnded = true;
    });
    const evented = resource().refresh();
    expect(loads).toHaveLength(3);

    await act(async () => loads[1]?.answer('stale'));
    expect(savedRefreshEnded, 'the superseded refresh waits for the newer load').toBe(false);
    expect(screen.getByTestId('value').textContent).toBe('first');

    await act(async () => loads[2]?.answer('newest'));
    await act(async () => saved);
    await evented;
    expect(savedRefreshEnded).toBe(true);
    expect(screen.getByTestId('value').textContent).toBe('newest');
  });

  it('a superseded answer arriving after the newer one changes nothing and ends at once', async () => {
    const { loads, resource } = renderProbe();
    await act(async () => loads[0]?.answer('first'));
    const older = resource().refresh();
    const newer = resource().refresh();
    await act(async () => loads[2]?.answer('newest'));
    await act(async () => newer);
    await act(async () => loads[1]?.answer('stale'));
    await act(async () => older);
    expect(screen.getByTestId('value').textContent).toBe('newest');
  });
});
