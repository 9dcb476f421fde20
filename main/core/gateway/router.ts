/**
 * Route matching: `/{path}/{rest}?{query}` -> the route whose path is the longest case-insensitive prefix of
 * the request path on a segment boundary. Pure functions over strings: no URL objects on the hot path.
 */

/** What a route needs for matching. */
export interface RoutePath {
  /** '' or segments without leading/trailing slash. */
  readonly path: string;
}

/** A route table entry, prepared once per configuration. */
export interface CompiledPath<R> {
  readonly route: R;
  /** '/' + lower-cased path, or '' for the catch-all route. */
  readonly prefix: string;
}

/** The outcome of a match: the route and the rest of the path (starting with '/', or ''), query included. */
export interface RouteMatch<R> {
  readonly route: R;
  readonly rest: string;
}

/** Sort routes longest path first (stable), ready for `matchRoute`. */
export function compileRoutes<R extends RoutePath>(routes: readonly R[]): readonly CompiledPath<R>[] {
  return routes
    .map((route) => ({ route, prefix: route.path === '' ? '' : `/${route.path.toLowerCase()}` }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * Find the route for a request target in origin form (`/a/b?q`). Returns null when no route matches.
 * `rest` keeps the original case and the query: `/API/x?y` on route `api` -> rest `/x?y`.
 */
export function matchRoute<R>(table: readonly CompiledPath<R>[], url: string): RouteMatch<R> | null {
  const q = url.indexOf('?');
  const pathEnd = q === -1 ? url.length : q;
  for (const entry of table) {
    const len = entry.prefix.length;
    if (len === 0) return { route: entry.route, rest: url };
    if (pathEnd < len) continue;
    if (pathEnd > len && url.charCodeAt(len) !== 47 /* '/' */) continue;
    // Compare case-insensitively without allocating unless the cheap check passes.
    const head = url.slice(0, len);
    if (head === entry.prefix || head.toLowerCase() === entry.prefix) return { route: entry.route, rest: url.slice(len) };
  }
  return null;
}

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** True when a path (without query) holds a `.` or `..` segment, plain or percent-encoded. */
export function hasDotSegment(path: string): boolean {
  if (path.indexOf('.') === -1 && path.indexOf('%') === -1) return false;
  return DOT_SEGMENT.test(path);
}

/**
 * The back end's request path: the service URL's path joined with the rest of the gateway path.
 * `basePath` has no trailing slash ('' for the root). Rest '' -> the base path itself ('/' when empty).
 */
export function joinUpstreamPath(basePath: string, rest: string): string {
  if (rest === '') return basePath === '' ? '/' : basePath;
  if (rest.charCodeAt(0) === 63 /* '?' */) return (basePath === '' ? '/' : basePath) + rest;
  return basePath + rest;
}

/** The request target in origin form: absolute-form targets (`GET http://h/p`) become `/p`. Null if unusable. */
export function originForm(url: string | undefined): string | null {
  if (url === undefined || url === '') return null;
  if (url.charCodeAt(0) === 47 /* '/' */) return url;
  if (url === '*') return null;
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return null;
  }
}
