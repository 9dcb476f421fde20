/**
 * The built console (browser mode): files under the renderer folder, `index.html` for `/` and for client-side
 * routes. A path can never leave the folder: it is resolved, then checked against the folder, symlinks included.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { staticHeaders, type Reply } from './reply';
import { contentTypeOf } from './content-types';


/**
 * A built asset: under assets/, its name ending in the bundler's content hash (`start-CaC6TrV1.js`). Its bytes
 * never change under that name, so it may be cached for good; anything else (index.html above all) is
 * revalidated. A console opened again then reads its 1 MB of scripts from the cache. Its start was not
 * measurably sooner for it (`npx tsx bench/ui-bench.ts` with the loads in one context: within noise), as
 * Chromium compiles module scripts off the main thread as they stream in.
 */
const HASHED_ASSET = /^\/*assets\/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|css|woff2?|svg|png)$/;

/** The Cache-Control a console file is served with (the admin server and the desktop app's `app://` alike). */
export function cacheControlOf(decodedPath: string): string {
  return HASHED_ASSET.test(decodedPath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Files larger than this are not part of a console build. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Answer a GET or HEAD for a console file, or null when there is no such file (the caller answers 404). */
export async function serveStatic(rendererDir: string, pathname: string): Promise<Reply | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = await rendererFile(rendererDir, relative);
  if (file === null) return null;
  const bytes = await readFile(file);
  const type = contentTypeOf(file);
  return { status: 200, headers: staticHeaders(type.startsWith('text/html'), cacheControlOf(relative)), body: { bytes, type } };
}

/**
 * The file a (percent-decoded) request path names under the renderer folder: its real path, which must lie
 * inside the folder's real path (a symlink pointing out is refused), and be a regular file of plausible size;
 * `index.html` for "/" and for extensionless client-side routes; null when there is no such file. Shared by
 * the admin server and the desktop app's `app://` protocol, so both refuse the same paths.
 */
export async function rendererFile(rendererDir: string, decodedPath: string): Promise<string | null> {
  const relative = decodedPath.replace(/^\/+/, '');
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const root = await realpathOrNull(path.resolve(rendererDir));
  if (root === null) return null;
  const requested = path.resolve(root, relative === '' ? 'index.html' : relative);
  const file = await insideFile(root, requested);
  // Client-side routes ("/settings") load the console itself.
  if (file === null && path.extname(requested) === '') return insideFile(root, path.join(root, 'index.html'));
  return file;
}

/** The real path of a regular file that lies inside root, else null. */
async function insideFile(root: string, candidate: string): Promise<string | null> {
  if (!isInside(root, candidate)) return null;
  const real = await realpathOrNull(candidate);
  if (real === null || !isInside(root, real)) return null;
  try {
    const info = await stat(real);
    return info.isFile() && info.size <= MAX_FILE_BYTES ? real : null;
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}
