/**
 * Writing an export to a folder: never over an existing file, secret files (keys, passwords) mode 0600
 * in folders mode 0700, and nothing left half-written when a write fails.
 */
import { chmod, lstat, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../../preload/contract';
import type { PlannedFile } from './types';

/** Write failures that are the disk's or the file system's, reported as `io-error` (HTTP 507). */
const IO_ERRNOS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO']);

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EEXIST':
      return 'a file of that name appeared meanwhile';
    case 'ENOTDIR':
      return 'a file stands where a folder should be';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Where a planned file goes; null if its path would leave the folder (never for CertGate's own names). */
function target(outDir: string, file: PlannedFile): string | null {
  const full = path.resolve(outDir, ...file.path.split('/'));
  return full.startsWith(outDir.endsWith(path.sep) ? outDir : outDir + path.sep) ? full : null;
}

/**
 * Write the files that have content into `outDir` (absolute; created when missing). Refused with
 * `validation`, writing nothing, when the folder is a file or any target file already exists.
 */
export async function writeExportFiles(outDir: string, files: readonly PlannedFile[]): Promise<Result<readonly string[]>> {
  if (!path.isAbsolute(outDir)) return fail('validation', `The output folder must be an absolute path, not "${outDir}".`);
  const root = path.resolve(outDir);
  try {
    const info = await stat(root);
    if (!info.isDirectory()) return fail('validation', `${root} is a file, not a folder: choose a folder for the export.`);
  } catch {
    // Missing: created below.
  }
  const planned: { readonly full: string; readonly file: PlannedFile & { readonly content: string | Uint8Array } }[] = [];
  for (const file of files) {
    if (file.content === null) continue;
    const full = target(root, file);
    if (full === null) return fail('internal', `CertGate planned a file outside the export folder (${file.path}). Please report it.`);
    planned.push({ full, file: { ...file, content: file.content } });
  }
  const taken: string[] = [];
  for (const p of planned) if (await exists(p.full)) taken.push(p.file.path);
  if (taken.length > 0) {
    const shown = taken.slice(0, 5).join(', ') + (taken.length > 5 ? ` and ${taken.length - 5} more` : '');
    return fail('validation', `${root} already has ${shown}: CertGate never overwrites files. Choose an empty folder, or remove them first.`, {
      existing: taken,
    });
  }
  const written: string[] = [];
  const createdDirs: string[] = [];
  try {
    const made = await mkdir(root, { recursive: true });
    if (made !== undefined) createdDirs.push(made);
    for (const { full, file } of planned) {
      const dir = path.dirname(full);
      const secretDir = planned.some((p) => p.file.secret && path.dirname(p.full) === dir);
      const madeDir = await mkdir(dir, { recursive: true, mode: secretDir ? 0o700 : 0o755 });
      if (madeDir !== undefined) createdDirs.push(madeDir);
      await writeFile(full, file.content, { mode: file.secret ? 0o600 : 0o644, flag: 'wx' });
      written.push(full);
      // The umask can only remove permission bits; set exactly 0600 so the owner can always read it.
      if (file.secret) await chmod(full, 0o600);
    }
    return ok(written);
  } catch (err) {
    const failedAt = planned[written.length]?.full ?? root;
    for (const full of written) await rm(full, { force: true }).catch(() => undefined);
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    // The disk or the folder's permissions failed us, not the operator's choice of folder: io-error.
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    const code = errno !== undefined && IO_ERRNOS.has(errno) ? 'io-error' : 'validation';
    return fail(code, `Could not write ${failedAt}: ${reason(err)}. Nothing was exported.`, errno === undefined ? undefined : { errno });
  }
}
