/** Reads which stored certificate a `duplicate` refusal names, from its details. */
import type { AppError } from '../../../preload/contract/result';

/** The stored certificate an upload duplicates (its id, subject and thumbprint). */
export interface DuplicateOf {
  readonly existingId: string;
  readonly subject: string | null;
  readonly thumbprint: string | null;
}

/** The certificate a `duplicate` error names, or null for other errors (or details without an id). */
export function duplicateOf(error: AppError): DuplicateOf | null {
  if (error.code !== 'duplicate' || typeof error.details !== 'object' || error.details === null) return null;
  const d = error.details as Record<string, unknown>;
  if (typeof d.existingId !== 'string') return null;
  return {
    existingId: d.existingId,
    subject: typeof d.subject === 'string' ? d.subject : null,
    thumbprint: typeof d.thumbprint === 'string' ? d.thumbprint : null,
  };
}
