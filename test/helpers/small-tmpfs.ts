import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Whether this process may mount a tmpfs at all (root on Linux): the condition of `it.runIf` for full-disk tests. */
export const CAN_MOUNT_TMPFS = process.platform === 'linux' && process.getuid?.() === 0;

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

/**
 * Run `body` on a mounted small tmpfs and unmount it afterwards, whatever the body does. When the mount is refused,
 * the test is skipped at run time through `ctx.skip()` (saying so in the report), never passed silently.
 */
export async function onSmallTmpfs(parent: string, ctx: { skip(): void }, body: (mount: string) => Promise<void>): Promise<void> {
  const small = await mountSmallTmpfs(parent);
  if (small === null) {
    ctx.skip();
    return;
  }
  try {
    await body(small.path);
  } finally {
    small.unmount();
  }
}
