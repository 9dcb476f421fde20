/** Certificates that expire within 30 days or have expired, their chains included (`certificates.expiring`). */
import type { ExpiringCertificate } from '../../../preload/contract/model';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** The expiring certificates with their state. */
export interface ExpiringState extends Resource<readonly ExpiringCertificate[]> {
  /** Most urgent first, as the core sorts them. */
  readonly expiring: readonly ExpiringCertificate[];
}

const EMPTY: readonly ExpiringCertificate[] = [];

/** Load the expiring certificates; reload when certificates, CA certificates, APIs or policies change. */
export function useExpiring(): ExpiringState {
  const resource = useResource(loads.expiring.load, {
    key: loads.expiring.key,
    refreshOn: (e) => e.kind === 'certificate' || e.kind === 'ca-certificate' || e.kind === 'api' || e.kind === 'policy',
  });
  return { ...resource, expiring: resource.data ?? EMPTY };
}
