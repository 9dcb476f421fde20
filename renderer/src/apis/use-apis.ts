/** APIs: the list, one API, create, update and delete. */
import { useCallback } from 'react';
import type { Api } from '../../../preload/contract/model';
import type { OperationInput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** The APIs with their state, and the operations on them. */
export interface ApisState extends Resource<readonly Api[]> {
  readonly apis: readonly Api[];
  create(input: OperationInput<'apis.create'>): Promise<Result<Api>>;
}

const EMPTY: readonly Api[] = [];

/** Load the APIs; reload when any API changes. */
export function useApis(): ApisState {
  const client = useClient();
  const resource = useResource(loads.apis.load, { key: loads.apis.key, refreshOn: (e) => e.kind === 'api' });
  const { refresh } = resource;
  const create = useCallback(
    async (input: OperationInput<'apis.create'>) => {
      const result = await client.call('apis.create', input);
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  return { ...resource, apis: resource.data ?? EMPTY, create };
}

/** One API with its state, and the operations on it. */
export interface ApiState extends Resource<Api> {
  update(input: Omit<OperationInput<'apis.update'>, 'id'>): Promise<Result<Api>>;
  remove(): Promise<Result<{ readonly id: string }>>;
}

/** Load one API; reload when it changes. */
export function useApi(apiId: string): ApiState {
  const client = useClient();
  const resource = useResource((c) => c.call('apis.get', { id: apiId }), {
    key: `api:${apiId}`,
    refreshOn: (e) => e.kind === 'api' && e.id === apiId,
  });
  const { refresh } = resource;
  const update = useCallback(
    async (input: Omit<OperationInput<'apis.update'>, 'id'>) => {
      const result = await client.call('apis.update', { ...input, id: apiId });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh, apiId],
  );
  const remove = useCallback(() => client.call('apis.delete', { id: apiId }), [client, apiId]);
  return { ...resource, update, remove };
}
