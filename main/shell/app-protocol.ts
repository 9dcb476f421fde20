/**
 * Where the window's pages come from. In a build the renderer is served from `app://certgate/`, a privileged
 * standard scheme: a real origin (so the CSP's 'self' and same-origin checks mean something, unlike file://),
 * and nothing outside `out/renderer` can be read through it. In development electron-vite's dev server is used.
 */
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from './csp';
import { contentTypeOf } from '../core/admin-http/content-types';
import { cacheControlOf, rendererFile } from '../core/admin-http/static-files';

/** The scheme and host the built renderer is served from. */
export const APP_SCHEME = 'app';
const APP_HOST = 'certgate';

/** Where the window loads its page from, and which URLs belong to the app. */
export interface AppLocation {
  /** The URL the window loads. */
  readonly entryUrl: string;
  /** The dev server's origin in development, null in a build. */
  readonly devOrigin: string | null;
  /** True when a URL is one of the app's own pages (same scheme, host and port). */
  isAppUrl(url: string): boolean;
}

/**
 * The app's location. `devServerUrl` is electron-vite's `ELECTRON_RENDERER_URL`; the caller passes it only
 * when the app is not packaged, so an environment variable can never point an installed app elsewhere.
 */
export function appLocation(devServerUrl: string | undefined): AppLocation {
  const dev = devServerUrl ? parseUrl(devServerUrl) : null;
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:')) {
    const devOrigin = dev.origin;
    return { entryUrl: dev.href, devOrigin, isAppUrl: (url) => parseUrl(url)?.origin === devOrigin };
  }
  return {
    entryUrl: `${APP_SCHEME}://${APP_HOST}/index.html`,
    devOrigin: null,
    isAppUrl: (url) => {
      const u = parseUrl(url);
      // `URL.origin` is "null" for custom schemes in Node, so compare the parts.
      return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
    },
  };
}

/** The privileges `app://` needs, registered before `ready` (Electron allows one registration call). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // codeCache: V8 keeps the console's compiled scripts between starts (only for standard schemes).
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;


/**
 * Answer one `app://` request from the files under `rendererDir`. Only GET/HEAD, only the app's host, never a
 * path outside the folder; an unknown path without an extension gets index.html (client-side routes).
 * Each page carries the CSP itself: Chromium's webRequest header hooks do not run for custom schemes.
 */
export async function serveRendererRequest(rendererDir: string, request: { readonly url: string; readonly method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const url = parseUrl(request.url);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found');
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return plain(400, 'Bad request');
  }
  if (decoded.includes('\0')) return plain(400, 'Bad request');
  // The same check as the admin server's: real paths inside the renderer folder only, symlinks included.
  const served = await rendererFile(rendererDir, decoded);
  const body = served === null ? null : await readIfFile(served);
  if (served === null || body === null) return plain(404, 'Not found');
  const type = contentTypeOf(served);
  const headers: Record<string, string> = {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': cacheControlOf(decoded),
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = contentSecurityPolicy(null);
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

async function readIfFile(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
