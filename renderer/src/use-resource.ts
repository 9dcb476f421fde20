/**
 * The shared core of the feature hooks: load a value through the client, keep its loading and error state,
 * and load it again when a matching change event arrives (a change made here, in another window, by the CLI…)
 * or when the client says events may have been missed (its event stream reconnected).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Result } from '../../preload/contract/result';
import type { CertGateClient } from '../../preload/contract/operations';
import type { ChangeEvent } from '../../preload/contract/model';
import { isResync } from '../client/resync';
import { useClient } from './client-context';
import { primedAnswer, primedResult } from './first-loads';

/** A loaded value with its state. */
export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: AppError | null;
  /** True until the first answer for the current key. */
  readonly loading: boolean;
  refresh(): Promise<void>;
}

interface State<T> {
  readonly key: string;
  readonly data: T | undefined;
  readonly error: AppError | null;
  readonly loading: boolean;
}

/** Options of `useResource`. */
export interface ResourceOptions {
  /** Identifies what is loaded: a new key starts from scratch (e.g. another API's policy). */
  readonly key: string;
  /** Which change events make the value stale. */
  readonly refreshOn: (event: ChangeEvent) => boolean;
}

function loadedState<T>(key: string, result: Result<T>, previous: State<T> | undefined): State<T> {
  if (result.ok) return { key, data: result.value, error: null, loading: false };
  return { key, data: previous?.key === key ? previous.data : undefined, error: result.error, loading: false };
}

/** The state a hook starts in: empty, or the first page's primed answer when it has already arrived. */
function initialState<T>(key: string): State<T> {
  const primed = primedResult<T>(key);
  return primed ? loadedState(key, primed, undefined) : { key, data: undefined, error: null, loading: true };
}

/**
 * Load `load(client)` now (or take the first page's primed answer, see first-loads.ts), whenever `key`
 * changes, and on every change event `refreshOn` accepts.
 */
export function useResource<T>(load: (client: CertGateClient) => Promise<Result<T>>, options: ResourceOptions): Resource<T> {
  const client = useClient();
  const { key } = options;
  const [state, setState] = useState<State<T>>(() => initialState(key));
  const loadRef = useRef(load);
  const refreshOnRef = useRef(options.refreshOn);
  const sequence = useRef(0);
  const keyRef = useRef(key);
  loadRef.current = load;
  refreshOnRef.current = options.refreshOn;
  keyRef.current = key;

  const latest = useRef<Promise<void>>(Promise.resolve());
  const settle = useCallback((answer: Promise<Result<T>>) => {
    const mine = ++sequence.current;
    const requestedKey = keyRef.current;
    const settled: { promise: Promise<void> } = { promise: Promise.resolve() };
    settled.promise = (async () => {
      const result = await answer;
      if (mine !== sequence.current || requestedKey !== keyRef.current) {
        // A newer load of the same key superseded this one: end with it, so that whoever awaits refresh() (a
        // save that then clears its draft) sees the newest answer, not the state from before.
        if (requestedKey === keyRef.current && latest.current !== settled.promise) await latest.current;
        return;
      }
      // The same answer as the state already shows (a primed one rendered at once) renders nothing again.
      setState((previous) => (previous.key === requestedKey && result.ok && previous.data === result.value && previous.error === null && !previous.loading ? previous : loadedState(requestedKey, result, previous)));
    })();
    latest.current = settled.promise;
    return settled.promise;
  }, []);

  const refresh = useCallback(() => settle(loadRef.current(client)), [client, settle]);

  useEffect(() => {
    setState((previous) => (previous.key === key ? previous : { key, data: undefined, error: null, loading: true }));
    void settle(primedAnswer<T>(key) ?? loadRef.current(client));
    return () => {
      // Answers to requests made for this key are dropped once it is gone.
      sequence.current++;
    };
  }, [key, client, settle]);

  useEffect(
    () =>
      client.subscribe('changes', (event) => {
        // A resync (the event stream reconnected: changes may have been missed) reloads everything.
        if (isResync(event) || refreshOnRef.current(event)) void refresh();
      }),
    [client, refresh],
  );

  const current = state.key === key ? state : { key, data: undefined, error: null, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, refresh };
}
