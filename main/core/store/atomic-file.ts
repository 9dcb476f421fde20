/**
 * Atomic file writes for the data folder: the content goes to a temporary file beside the target, which is
 * then renamed over it, so a reader sees the old file or the new one, never half of one. A write that fails
 * (disk full, no permission) removes its temporary file and is reported as `io-error`: nothing was changed.
 */
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { fail, type Result } from '../../../preload/contract';

/** The file system calls an atomic write needs: `node:fs/promises` by default, a fake in tests. */
export interface WriteFileSystem {
  writeFile(file: string, data: string | Uint8Array, options?: { readonly mode?: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { readonly force: true }): Promise<void>;
}

/** The temporary file an atomic write of `file` uses. */
export function temporaryFile(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}

/** Errno codes a rename may give while another program (an antivirus, an indexer) briefly holds the file. */
const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_ATTEMPTS = process.platform === 'win32' ? 10 : 1;

/** Write `data` to `file` atomically; throws the file system's error after removing the temporary file. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { readonly mode?: number; readonly fs?: WriteFileSystem } = {},
): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const temp = temporaryFile(file);
  try {
    await fs.writeFile(temp, data, options.mode === undefined ? {} : { mode: options.mode });
    await renameWithRetry(fs, temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

async function renameWithRetry(fs: WriteFileSystem, from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      if (attempt >= RENAME_ATTEMPTS || !TRANSIENT.has(errnoCode(err) ?? '')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** The errno code of a file system error (`ENOSPC`, `EACCES`...), or null for anything else. */
export function errnoCode(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/** Why a file system call failed, in words for the operator. */
function ioReason(err: unknown): string {
  switch (errnoCode(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'CertGate has no permission to write there';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** `io-error` for a failed write of `file`: says why and that nothing was changed. */
export function ioError<T = never>(file: string, err: unknown): Result<T> {
  return fail('io-error', `CertGate could not save ${file}: ${ioReason(err)}. Nothing was changed; free some space or fix the folder's permissions, then try again.`, {
    file,
    errno: errnoCode(err),
  });
}
