/** Which form field a refusal is about, so the form can show it there. */
import type { AppError } from '../../../preload/contract/result';

/** The core's `details.field`, or the first path of a schema issue; null when it names none. */
export function fieldOf(error: AppError | null): string | null {
  const details = error?.details as { field?: unknown; issues?: { path?: unknown[] }[] } | undefined;
  if (typeof details?.field === 'string') return details.field;
  const first = details?.issues?.[0]?.path?.[0];
  return typeof first === 'string' ? first : null;
}
