/**
 * A call that parses a certificate file (upload, inspect) and may be slow: a file can ask for millions of
 * key-derivation rounds. While it runs, `certificates.estimate` (structure only, milliseconds) says how
 * many, so the dialog can say what is happening; `cancel()` (or the dialog going away) aborts the call,
 * which stops the parse in the core. The window stays responsive: the parse runs outside it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ParseEstimate } from '../../../preload/contract/model';
import type { CallOptions } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';

/** What is running: nothing, or a parse with its estimate once known. */
export type ParseProgress = { readonly running: false } | { readonly running: true; readonly estimate: ParseEstimate | null };

/** Run parse calls one at a time, with their estimate and a way to cancel them. */
export interface ParseCall {
  readonly progress: ParseProgress;
  /** Run `call` for the file `data`; null when it was cancelled (its answer, whatever it is, is dropped). */
  run<T>(data: string, call: (options: CallOptions) => Promise<Result<T>>): Promise<Result<T> | null>;
  cancel(): void;
}

/** State for the parse calls of one dialog. */
export function useParseCall(): ParseCall {
  const client = useClient();
  const controller = useRef<AbortController | null>(null);
  const [progress, setProgress] = useState<ParseProgress>({ running: false });
  // The dialog closing (Cancel, Escape, navigation) cancels what it started.
  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async <T,>(data: string, call: (options: CallOptions) => Promise<Result<T>>): Promise<Result<T> | null> => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      setProgress({ running: true, estimate: null });
      void client.call('certificates.estimate', { data }, { signal: mine.signal }).then((estimate) => {
        if (estimate.ok && !mine.signal.aborted && controller.current === mine) setProgress({ running: true, estimate: estimate.value });
      });
      const result = await call({ signal: mine.signal });
      if (mine.signal.aborted) return null;
      controller.current = null;
      setProgress({ running: false });
      return result;
    },
    [client],
  );

  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setProgress({ running: false });
  }, []);

  return { progress, run, cancel };
}
