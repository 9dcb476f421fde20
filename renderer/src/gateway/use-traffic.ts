/** The live traffic log: the recent calls, then every new one as it happens (`traffic` channel). */
import { useEffect, useState } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { TrafficEntry } from '../../../preload/contract/model';
import { isResync } from '../../client/resync';
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

/**
 * Newest first, each call once: calls that arrived while the log loaded, the log (`recent`, oldest first),
 * then what was already shown. The sort is stable, so calls of the same millisecond keep that order.
 */
function merge(arrived: readonly TrafficEntry[], recent: readonly TrafficEntry[], shown: readonly TrafficEntry[]): TrafficEntry[] {
  const seen = new Set<string>();
  const all: TrafficEntry[] = [];
  for (const entry of [...arrived, ...[...recent].reverse(), ...shown]) {
    if (seen.has(entry.requestId)) continue;
    seen.add(entry.requestId);
    all.push(entry);
  }
  return all.sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).slice(0, TRAFFIC_LIMIT);
}

/** Load the recent calls and follow new ones; load the log again when the client may have missed some. */
export function useTraffic(): TrafficState {
  const client = useClient();
  const [state, setState] = useState<TrafficState>({ entries: [], loading: true, error: null });

  useEffect(() => {
    let live = true;
    // Calls that arrive while the log loads are kept and merged, not lost.
    let early: TrafficEntry[] = [];
    let loaded = false;
    const load = () =>
      void client.call('gateway.traffic', { limit: TRAFFIC_LIMIT }).then((result) => {
        if (!live) return;
        const recent = result.ok ? result.value : [];
        const pending = early;
        early = [];
        loaded = true;
        setState((s) => ({
          entries: merge([...pending].reverse(), recent, s.entries),
          loading: false,
          error: result.ok ? null : result.error,
        }));
      });
    const offTraffic = client.subscribe('traffic', (entry) => {
      if (!loaded) {
        early.push(entry);
        return;
      }
      setState((s) => ({ ...s, entries: [entry, ...s.entries].slice(0, TRAFFIC_LIMIT) }));
    });
    const offChanges = client.subscribe('changes', (event) => {
      if (isResync(event)) load();
    });
    load();
    return () => {
      live = false;
      offTraffic();
      offChanges();
    };
  }, [client]);

  return state;
}
