import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeExportFiles } from '../../../../main/core/export/write';
import { tempDir } from '../../../helpers/temp-dir';
import { CAN_MOUNT_TMPFS, onSmallTmpfs } from '../../../helpers/small-tmpfs';

describe('writeExportFiles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('refuses an existing file with validation and writes nothing', async () => {
    const out = path.join(dir.path, 'out');
    await mkdir(out);
    await writeFile(path.join(out, 'a.pem'), 'mine');
    const r = await writeExportFiles(out, [{ path: 'a.pem', content: 'x', secret: false }, { path: 'b.pem', content: 'y', secret: false }]);
    expect(!r.ok && r.error.code).toBe('validation');
    expect((await readdir(out)).sort()).toEqual(['a.pem']);
  });

  // A real full file system: a 64 KiB tmpfs (needs root and a kernel that lets this container mount one).
  it.runIf(CAN_MOUNT_TMPFS)('a full disk is io-error, and nothing of the export is left', async (ctx) => {
    await onSmallTmpfs(dir.path, ctx, async (mount) => {
      const out = path.join(mount, 'export');
      const r = await writeExportFiles(out, [
        { path: 'nginx.conf', content: 'small', secret: false },
        { path: 'keys/client.key', content: Buffer.alloc(256 * 1024, 1), secret: true },
      ]);
      expect(!r.ok && r.error.code).toBe('io-error');
      expect(!r.ok && r.error.message).toContain('the disk is full');
      expect(!r.ok && r.error.message).toContain('Nothing was exported');
      expect(!r.ok && r.error.details).toMatchObject({ errno: 'ENOSPC' });
      expect(await readdir(mount)).toEqual([]);
    });
  });
});
