/**
 * Deep inside the parsers, an expected failure (a damaged file, a wrong password, an algorithm we refuse)
 * is thrown as a `CertificateFileError` so the walkers stay readable; the two public functions in
 * `parse.ts` are the only places that catch it and return it as a `fail` value. Messages are written for
 * people and may name the file as `{file}`; they never carry key material, passwords or file bytes.
 */
import { fail, type ErrorCode, type Result } from '../../../preload/contract';

/** The message given for any file the readers cannot make sense of. */
export const DAMAGED = 'CertGate cannot read {file}: it is damaged, or it is not a PFX/P12 or PEM certificate file.';

/** An expected failure, thrown inside the certificate readers and returned as a value at their edge. */
export class CertificateFileError extends Error {
  /** `reason` is a short technical note for `details` (never secret); `message` is for people. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'CertificateFileError';
  }
}

/** Throw an expected failure. */
export function refuse(code: ErrorCode, message: string, reason?: string): never {
  throw new CertificateFileError(code, message, reason);
}

/** How a file is named in messages: its base name when known, else "this file". */
export function fileLabel(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean === '' ? 'this file' : clean;
}

/** "this file is ..." becomes "This file is ..."; a real file name keeps its case. */
function sentence(message: string): string {
  return message.startsWith('this file') ? `T${message.slice(1)}` : message;
}

/** Turn anything caught at the edge into a `fail` value: expected failures keep their code. */
export function toFailure<T>(err: unknown, fileName: string | undefined): Result<T> {
  const label = fileLabel(fileName);
  if (err instanceof CertificateFileError) {
    const message = sentence(err.message.replaceAll('{file}', label));
    return err.reason === undefined ? fail(err.code, message) : fail(err.code, message, { reason: err.reason });
  }
  // An unexpected error: never echo its text (it could quote file content); name only its kind, for bug reports.
  const kind = err instanceof Error ? err.name : typeof err;
  return fail('invalid-format', sentence(DAMAGED.replaceAll('{file}', label)), { reason: `unexpected ${kind}` });
}
