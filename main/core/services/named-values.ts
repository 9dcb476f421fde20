import { namedValueReferences } from '../policy';
import type { StoreData } from '../store/schema';
import { allPolicies } from './scopes';

/** Remove named values no policy references any more; returns their vault entries, to delete after the commit. */
export function collectUnusedNamedValues(draft: StoreData): string[] {
  const used = new Set(allPolicies(draft).flatMap((p) => namedValueReferences(p.xml)));
  const unused = draft.namedValues.filter((n) => !used.has(n.name));
  draft.namedValues = draft.namedValues.filter((n) => used.has(n.name));
  return unused.map((n) => n.secretRef);
}

/** The named value that holds an API's back-end password (letters, digits, '-', '_', '.' only). */
export function basicPasswordName(apiId: string): string {
  const safe = apiId.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 200);
  return `${safe}-backend-password`;
}
