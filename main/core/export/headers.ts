/**
 * A policy's `set-header` statements, folded per header into what the header ends up as. Other gateways
 * cannot run the statements one by one, but every sequence of override, skip, append and delete on one
 * header comes down to one of two outcomes, which each format can express:
 *
 * - `fixed`: the header is exactly `values`, whatever came in (none: it is removed);
 * - `merge`: an incoming header is kept and `appended` added after it; without one, the header is
 *   `ifAbsent` followed by `appended`.
 */
import type { HeaderAction } from '../gateway/types';

/** What one header ends up as after a policy's statements. */
export type HeaderOutcome =
  | { readonly kind: 'fixed'; readonly name: string; readonly lower: string; readonly values: readonly string[] }
  | {
      readonly kind: 'merge';
      readonly name: string;
      readonly lower: string;
      readonly ifAbsent: readonly string[];
      readonly appended: readonly string[];
    };

interface State {
  name: string;
  fixed: string[] | null;
  ifAbsent: string[];
  appended: string[];
}

/**
 * Fold statements in order, per header name (case-insensitive), in the order headers are first named.
 * `initial` gives headers that start with a value set by the gateway itself (Authorization for basic
 * authentication). Headers the statements leave as they came are not listed.
 */
export function foldHeaderActions(actions: readonly HeaderAction[], initial: ReadonlyMap<string, readonly string[]> = new Map()): HeaderOutcome[] {
  const states = new Map<string, State>();
  for (const [name, values] of initial) states.set(name.toLowerCase(), { name, fixed: [...values], ifAbsent: [], appended: [] });
  for (const a of actions) {
    const lower = a.name.toLowerCase();
    let s = states.get(lower);
    if (!s) {
      s = { name: a.name, fixed: null, ifAbsent: [], appended: [] };
      states.set(lower, s);
    }
    switch (a.existsAction) {
      case 'override':
        s.fixed = [...a.values];
        break;
      case 'delete':
        s.fixed = [];
        break;
      case 'append':
        if (s.fixed) s.fixed.push(...a.values);
        else s.appended.push(...a.values);
        break;
      case 'skip':
        // Only an absent header is set; a kept incoming header is present by definition.
        if (s.fixed) {
          if (s.fixed.length === 0) s.fixed = [...a.values];
        } else if (s.ifAbsent.length === 0 && s.appended.length === 0) {
          s.ifAbsent = [...a.values];
        }
        break;
    }
  }
  const out: HeaderOutcome[] = [];
  for (const [lower, s] of states) {
    if (s.fixed) out.push({ kind: 'fixed', name: s.name, lower, values: s.fixed });
    else if (s.ifAbsent.length > 0 || s.appended.length > 0) {
      out.push({ kind: 'merge', name: s.name, lower, ifAbsent: s.ifAbsent, appended: s.appended });
    }
  }
  return out;
}
