/**
 * A small route table: path patterns of literal and `:param` segments, one handler per method. Parameters
 * are percent-decoded per segment, so an id can never smuggle a "/" into another route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Operations, Subscriptions } from '../../../preload/contract';
import type { EventStreams } from './event-stream';
import type { Reply } from './reply';

/** What a route handler is given. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly operations: Operations;
  readonly subscribe: <C extends keyof Subscriptions>(channel: C, listener: (e: Subscriptions[C]) => void) => () => void;
  readonly streams: EventStreams;
  /** Aborted when the client closes its connection before the answer: a parse in progress stops. */
  readonly signal: AbortSignal;
}

/** A handler answers with a reply, or null once it has taken the response over (event streams). */
export type Handler = (ctx: RouteContext) => Promise<Reply | null>;

/** How failures of a route family are shaped: a REST `{error}` or an RPC `Result`. */
export type RouteStyle = 'rest' | 'rpc';

/** One path pattern and its handlers by method. */
export interface Route {
  readonly pattern: string;
  readonly style: RouteStyle;
  readonly methods: Readonly<Partial<Record<string, Handler>>>;
}

/** The outcome of matching a path. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly route: Route; readonly allow: readonly string[] }
  | { readonly kind: 'bad-path' }
  | { readonly kind: 'none' };

/** Match a method and path (still percent-encoded) against the table. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const segments = pathname.split('/').slice(1);
  for (const route of routes) {
    const pattern = route.pattern.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < pattern.length && matched; i++) {
      const want = pattern[i] ?? '';
      const got = segments[i] ?? '';
      if (want.startsWith(':')) {
        const decoded = decodeSegment(got);
        if (decoded === null) return { kind: 'bad-path' };
        params[want.slice(1)] = decoded;
        matched = decoded !== '';
      } else {
        matched = want === got;
      }
    }
    if (!matched) continue;
    const handler = route.methods[method];
    if (handler) return { kind: 'found', route, handler, params };
    return { kind: 'method-not-allowed', route, allow: Object.keys(route.methods) };
  }
  return { kind: 'none' };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
