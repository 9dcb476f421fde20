/** Reads the APIs that use a certificate out of an `in-use` error's details. */
import type { AppError } from '../../../preload/contract/result';
import type { CertificateUsage } from '../../../preload/contract/model';

function isUsage(value: unknown): value is CertificateUsage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.apiId === 'string' && typeof v.apiName === 'string';
}

/** The usages in `details.usedBy` or `details` itself (either shape is accepted); [] if none. */
export function usagesOf(error: AppError): readonly CertificateUsage[] {
  const details = error.details;
  const list = Array.isArray(details) ? details : (details as { usedBy?: unknown } | undefined)?.usedBy;
  return Array.isArray(list) ? list.filter(isUsage) : [];
}
