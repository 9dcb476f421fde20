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

/** Load `load(client)` now, whenever `key` changes, and on every change event `refreshOn` accepts. */
export function useResource<T>(load: (client: CertGateClient) => Promise<Result<T>>, options: ResourceOptions): Resource<T> {
  const client = useClient();
  const { key } = options;
  const [state, setState] = useState<State<T>>({ key, data: undefined, error: null, loading: true });
  const loadRef = useRef(load);
  const refreshOnRef = useRef(options.refreshOn);
  const sequence = useRef(0);
  const keyRef = useRef(key);
  loadRef.current = load;
  refreshOnRef.current = options.refreshOn;
  keyRef.current = key;

  const refresh = useCallback(async () => {
    const mine = ++sequence.current;
    const requestedKey = keyRef.current;
    const result = await loadRef.current(client);
    if (mine !== sequence.current || requestedKey !== keyRef.current) return;
    setState((previous) =>
      result.ok
        ? { key: requestedKey, data: result.value, error: null, loading: false }
        : { key: requestedKey, data: previous.key === requestedKey ? previous.data : undefined, error: result.error, loading: false },
    );
  }, [client]);

  useEffect(() => {
    setState((previous) => (previous.key === key ? previous : { key, data: undefined, error: null, loading: true }));
    void refresh();
    return () => {
      // Answers to requests made for this key are dropped once it is gone.
      sequence.current++;
    };
  }, [key, refresh]);

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
