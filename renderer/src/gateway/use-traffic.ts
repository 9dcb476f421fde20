/** The live traffic log: the recent calls, then every new one as it happens (`traffic` channel). */
import { useEffect, useState } from 'react';
import type { AppError, TrafficEntry } from '../../../preload/contract';
import { useClient } from '../client-context';

/** The most calls kept in the console. */
const TRAFFIC_LIMIT = 500;

/** The traffic log with its state. */
export interface TrafficState {
  /** Newest first. */
  readonly entries: readonly TrafficEntry[];
  readonly loading: boolean;
  readonly error: AppError | null;
}

/** Load the recent calls and follow new ones. */
export function useTraffic(): TrafficState {
  const client = useClient();
  const [state, setState] = useState<TrafficState>({ entries: [], loading: true, error: null });

  useEffect(() => {
    let live = true;
    // Calls that arrive while the log loads are kept and merged, not lost.
    const early: TrafficEntry[] = [];
    let loaded = false;
    const unsubscribe = client.subscribe('traffic', (entry) => {
      if (!loaded) {
        early.push(entry);
        return;
      }
      setState((s) => ({ ...s, entries: [entry, ...s.entries].slice(0, TRAFFIC_LIMIT) }));
    });
    void client.call('gateway.traffic', { limit: TRAFFIC_LIMIT }).then((result) => {
      if (!live) return;
      loaded = true;
      const recent = result.ok ? [...result.value].reverse() : [];
      const seen = new Set(recent.map((e) => e.requestId));
      const merged = [...early.filter((e) => !seen.has(e.requestId)).reverse(), ...recent].slice(0, TRAFFIC_LIMIT);
      setState({ entries: merged, loading: false, error: result.ok ? null : result.error });
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client]);

  return state;
}
