/**
 * The admin API's bearer token: 256 random bits, base64url, in `admin-token` in the data folder, readable by
 * its owner only (0600). Created once; later starts (and the CLI) read the same file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The token file's name in the data folder. */
export const TOKEN_FILE = 'admin-token';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The data folder's admin token, created if there is none. A file with looser permissions is tightened to
 * 0600 (POSIX); a file that is not a regular file, or cannot be read or written, throws (an operator problem).
 */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const file = path.join(dataDir, TOKEN_FILE);
  const created = await createToken(file);
  if (created !== null) return created;
  // Another process may have created the file an instant ago and be writing it: read again briefly.
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = await readToken(file);
    if (existing !== null) return existing;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // A truncated or foreign file (e.g. a crash mid-write): replace it atomically.
  return replaceToken(file);
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Create the file exclusively; null when it already exists. */
async function createToken(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
  const token = newToken();
  try {
    await handle.writeFile(`${token}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return token;
}

/** The token in an existing file (permissions tightened), or null when the file does not hold one. */
async function readToken(file: string): Promise<string | null> {
  const info = await lstat(file);
  if (!info.isFile()) throw new Error(`${file} is not a regular file; remove it so that CertGate can create its admin token.`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
  const token = (await readFile(file, 'utf8')).trim();
  return TOKEN_PATTERN.test(token) ? token : null;
}

async function replaceToken(file: string): Promise<string> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const token = newToken();
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  return token;
}
