import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A fresh temporary folder; `remove` deletes it and everything in it. */
export async function tempDir(prefix = 'certgate-test-'): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh temporary folder for the tests of the enclosing `describe` (or file): made before the first, removed
 * with everything in it after the last. Its `path` is read inside the tests.
 */
export function useTempDir(prefix?: string): { readonly path: string } {
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    dir = await tempDir(prefix);
  });
  afterAll(async () => dir?.remove());
  return {
    get path(): string {
      if (!dir) throw new Error('useTempDir: the folder is made in beforeAll; read its path inside a test');
      return dir.path;
    },
  };
}
