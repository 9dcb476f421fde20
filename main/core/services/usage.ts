import type { CertificateUsage } from '../../../preload/contract';
import { certificateReferences } from '../policy';
import type { StoreData } from '../store/schema';
import { normaliseThumbprint } from './ids';
import { allPolicies } from './scopes';

/** Which APIs use each client certificate (by id or thumbprint) and each CA certificate, keyed by id. */
export interface UsageIndex {
  readonly certificates: ReadonlyMap<string, readonly CertificateUsage[]>;
  readonly caCertificates: ReadonlyMap<string, readonly CertificateUsage[]>;
}

/** Build the usage index from the store's data (one pass over every API's policy). */
export function usageIndex(data: Readonly<StoreData>): UsageIndex {
  const byThumbprint = new Map(data.certificates.map((c) => [c.thumbprint, c.id]));
  const ids = new Set(data.certificates.map((c) => c.id));
  const certificates = new Map<string, CertificateUsage[]>();
  const caCertificates = new Map<string, CertificateUsage[]>();
  const add = (map: Map<string, CertificateUsage[]>, id: string, usage: CertificateUsage): void => {
    const list = map.get(id) ?? [];
    if (!list.some((u) => u.apiId === usage.apiId && u.reference === usage.reference && u.operationId === usage.operationId && u.global === usage.global)) {
      list.push(usage);
    }
    map.set(id, list);
  };
  // Every scope: the global policy, each API's and each operation's.
  for (const doc of allPolicies(data)) {
    for (const ref of certificateReferences(doc.xml)) {
      const id = ref.by === 'certificate-id' ? (ids.has(ref.value) ? ref.value : null) : byThumbprint.get(normaliseThumbprint(ref.value));
      if (!id) continue;
      const where = doc.global ? { global: true } : doc.operationId !== undefined ? { operationId: doc.operationId, operationName: doc.operationName ?? doc.operationId } : {};
      add(certificates, id, { apiId: doc.apiId, apiName: doc.apiName, reference: ref.by, ...where });
    }
  }
  for (const api of data.apis) {
    for (const caId of api.backendTls.trustedCaCertificateIds) {
      add(caCertificates, caId, { apiId: api.id, apiName: api.displayName, reference: 'trusted-ca' });
    }
  }
  return { certificates, caCertificates };
}

/** Usage index cached per store revision: list and get stay fast with thousands of certificates. */
export class UsageCache {
  #revision = -1;
  #index: UsageIndex | null = null;

  /** The index for the store's current revision. */
  get(data: Readonly<StoreData>, revision: number): UsageIndex {
    if (!this.#index || revision !== this.#revision) {
      this.#index = usageIndex(data);
      this.#revision = revision;
    }
    return this.#index;
  }
}

/** How a message names a use: `"Orders"`, `the operation "Refund" of "Orders"`, or `All APIs (the global policy)`. */
export function usageLabel(usage: CertificateUsage): string {
  if (usage.global) return 'All APIs (the global policy)';
  if (usage.operationId !== undefined) return `the operation "${usage.operationName ?? usage.operationId}" of "${usage.apiName}"`;
  return `"${usage.apiName}"`;
}
