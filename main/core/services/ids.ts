import { idSchema } from '../../../preload/contract';

/** An id derived from a name (a certificate's common name, an API's display name), unique among `taken`. */
export function deriveId(name: string, taken: ReadonlySet<string>, fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[*#&+:<>?/\\\s\u0000-\u001f\u007f]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .toLowerCase()
      .slice(0, 72) || fallback;
  const safe = idSchema.safeParse(base).success ? base : fallback;
  const lower = new Set([...taken].map((t) => t.toLowerCase()));
  if (!lower.has(safe.toLowerCase())) return safe;
  for (let n = 2; ; n += 1) {
    const candidate = `${safe}-${n}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

/** A thumbprint in CertGate's form: upper-case hex without separators. */
export function normaliseThumbprint(value: string): string {
  return value.replace(/[\s:]/g, '').toUpperCase();
}
