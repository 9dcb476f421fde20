import type { CertificateUsage } from '../../../preload/contract';
import { certificateReferences } from '../policy';
import type { StoreData } from '../store/schema';
import { normaliseThumbprint } from './ids';

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
    if (!list.some((u) => u.apiId === usage.apiId && u.reference === usage.reference)) list.push(usage);
    map.set(id, list);
  };
  for (const api of data.apis) {
    for (const ref of certificateReferences(api.policyXml)) {
      const id = ref.by === 'certificate-id' ? (ids.has(ref.value) ? ref.value : null) : byThumbprint.get(normaliseThumbprint(ref.value));
      if (id) add(certificates, id, { apiId: api.id, apiName: api.displayName, reference: ref.by });
    }
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
