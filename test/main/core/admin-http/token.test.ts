import { chmod, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken } from '../../../../main/core/admin-http/token';
import { tempDir } from '../../../helpers/temp-dir';

const posix = process.platform !== 'win32';

describe('loadOrCreateToken', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => dir.remove());

  it('creates a 256-bit base64url token in admin-token, mode 0600', async () => {
    const token = await loadOrCreateToken(dir.path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect((await readFile(path.join(dir.path, 'admin-token'), 'utf8')).trim()).toBe(token);
    if (posix) expect((await stat(path.join(dir.path, 'admin-token'))).mode & 0o777).toBe(0o600);
  });

  it('reads the same token on later calls, and different folders get different tokens', async () => {
    const first = await loadOrCreateToken(dir.path);
    expect(await loadOrCreateToken(dir.path)).toBe(first);
    const other = await tempDir();
    try {
      expect(await loadOrCreateToken(other.path)).not.toBe(first);
    } finally {
      await other.remove();
    }
  });

  it('gives concurrent callers one token', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateToken(dir.path)));
    expect(new Set(tokens).size).toBe(1);
  });

  it.runIf(posix)('tightens looser permissions to 0600', async () => {
    const token = await loadOrCreateToken(dir.path);
    const file = path.join(dir.path, 'admin-token');
    await chmod(file, 0o644);
    expect(await loadOrCreateToken(dir.path)).toBe(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('replaces a file that holds no token (a crash mid-write)', async () => {
    await writeFile(path.join(dir.path, 'admin-token'), '', { mode: 0o600 });
    const token = await loadOrCreateToken(dir.path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadOrCreateToken(dir.path)).toBe(token);
    if (posix) expect((await stat(path.join(dir.path, 'admin-token'))).mode & 0o777).toBe(0o600);
  });

  it('throws when admin-token is not a regular file', async () => {
    await mkdir(path.join(dir.path, 'admin-token'));
    await expect(loadOrCreateToken(dir.path)).rejects.toThrow(/not a regular file/);
  });
});
