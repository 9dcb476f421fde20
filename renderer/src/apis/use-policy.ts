/** An API's policy document: load it, save it (a refusal carries the line and column of the problem). */
import { useCallback } from 'react';
import type { Policy } from '../../../preload/contract/model';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { useResource, type Resource } from '../use-resource';

/** The policy with its state, and the way to save it. */
export interface PolicyState extends Resource<Policy> {
  save(xml: string): Promise<Result<Policy>>;
}

/** Load an API's policy; reload when it changes (including through the Security tab). */
export function usePolicy(apiId: string): PolicyState {
  const client = useClient();
  const resource = useResource((c) => c.call('policies.get', { apiId }), {
    key: `policy:${apiId}`,
    refreshOn: (e) => e.kind === 'policy' || (e.kind === 'api' && e.id === apiId),
  });
  const { refresh } = resource;
  const save = useCallback(
    async (xml: string) => {
      const result = await client.call('policies.set', { apiId, xml });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh, apiId],
  );
  return { ...resource, save };
}
