/** An API's Security tab: how the gateway authenticates to its back end, and the back-end TLS options. */
import { useCallback } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { BackendTls, Security } from '../../../preload/contract/model';
import type { SecurityInput } from '../../../preload/contract/schemas';
import { useClient } from '../client-context';
import { useResource, type Resource } from '../use-resource';

/** The security settings with their state, and the way to save them. */
export interface SecurityState extends Resource<Security> {
  /** `security.set`, then `apis.update` for the TLS options; the first failure is returned. */
  save(security: SecurityInput, backendTls: BackendTls): Promise<AppError | null>;
}

/** Load an API's security; reload when its API or policy changes (the policy is the source of truth). */
export function useSecurity(apiId: string): SecurityState {
  const client = useClient();
  const resource = useResource((c) => c.call('security.get', { apiId }), {
    key: `security:${apiId}`,
    refreshOn: (e) => e.kind === 'policy' || (e.kind === 'api' && e.id === apiId),
  });
  const { refresh } = resource;
  const save = useCallback(
    async (security: SecurityInput, backendTls: BackendTls) => {
      const saved = await client.call('security.set', { apiId, security });
      if (!saved.ok) return saved.error;
      const updated = await client.call('apis.update', {
        id: apiId,
        backendTls: {
          validateCertificateChain: backendTls.validateCertificateChain,
          validateCertificateName: backendTls.validateCertificateName,
          trustedCaCertificateIds: [...backendTls.trustedCaCertificateIds],
        },
      });
      await refresh();
      return updated.ok ? null : updated.error;
    },
    [client, refresh, apiId],
  );
  return { ...resource, save };
}
