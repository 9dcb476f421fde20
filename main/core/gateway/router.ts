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

/** A `.` or `..` segment (a `;` starts path parameters: Tomcat and Jetty read `..;x` as `..`). */
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:[/;]|$)/;
const ENCODED_PERCENT = /%25/gi;
const ENCODED_DOT = /%2e/gi;
const SLASH_LIKE = /%2f|%5c|\\/gi;

/**
 * True when a path (without query) could resolve above where it starts at a back end: a `.` or `..` segment,
 * plain, percent-encoded (`%2e`, also double-encoded `%252e`), separated by `/`, `\`, `%2f` or `%5c`
 * (back ends that decode `%2F` or treat `\` as `/` exist), or mixed. Dots inside names (`a.json`, `...`) pass.
 */
export function mayEscapeServicePath(path: string): boolean {
  if (path.indexOf('.') === -1 && path.indexOf('%') === -1) return false;
  let p = path;
  // Undo percent-encoded '%' (double encoding) a bounded number of times, then the encodings that matter.
  for (let i = 0; i < 4 && p.indexOf('%25') !== -1; i++) p = p.replace(ENCODED_PERCENT, '%');
  if (p.indexOf('%') !== -1) p = p.replace(ENCODED_DOT, '.');
  if (p.indexOf('.') === -1) return false;
  return DOT_SEGMENT.test(p.replace(SLASH_LIKE, '/'));
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
