/**
 * The renderer's Content-Security-Policy, in one place: the main process sends it as a header and the
 * renderer build writes it into index.html as a <meta> fallback. Electron-free, so the build config can import it.
 */

/**
 * The policy for the app's pages. `devOrigin` (electron-vite's dev server, development only) adds what hot
 * reload needs: the React refresh preamble is an inline script, and updates arrive over a WebSocket.
 * `forMeta` drops `frame-ancestors`, which browsers ignore (with a warning) in a <meta> policy.
 */
export function contentSecurityPolicy(devOrigin: string | null, forMeta = false): string {
  const hmrSocket = devOrigin ? devOrigin.replace(/^http/, 'ws') : null;
  const directives: readonly (readonly string[])[] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(devOrigin ? ["'unsafe-inline'"] : [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:'],
    ['connect-src', "'self'", ...(hmrSocket ? [hmrSocket] : [])],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ...(forMeta ? [] : [['frame-ancestors', "'none'"]]),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
