import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * A real, small file system for full-disk tests: a 64 KiB tmpfs mounted at `parent/small` (needs root on Linux).
 * Null when this kernel or container refuses the mount; the caller skips, saying so.
 */
export async function mountSmallTmpfs(parent: string): Promise<{ readonly path: string; unmount(): void } | null> {
  const mount = path.join(parent, 'small');
  await mkdir(mount);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { path: mount, unmount: () => execFileSync('umount', [mount]) };
}
