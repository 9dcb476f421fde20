/** An API's operations (method + URL template): the list, create, update and delete. */
import { useCallback } from 'react';
import type { ApiOperation } from '../../../preload/contract/model';
import type { OperationInput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { useResource, type Resource } from '../use-resource';

/** What the add and edit forms send (the API is the hook's). */
export type OperationFields = Omit<OperationInput<'operations.create'>, 'apiId' | 'id'>;

/** The operations with their state, and the changes to them. */
export interface OperationsState extends Resource<readonly ApiOperation[]> {
  readonly operations: readonly ApiOperation[];
  create(fields: OperationFields): Promise<Result<ApiOperation>>;
  update(id: string, fields: OperationFields): Promise<Result<ApiOperation>>;
  remove(id: string): Promise<Result<{ readonly apiId: string; readonly id: string }>>;
}

const EMPTY: readonly ApiOperation[] = [];

/** Load an API's operations; reload when the API changes (every operation change is one, here or elsewhere). */
export function useOperations(apiId: string): OperationsState {
  const client = useClient();
  const resource = useResource((c) => c.call('operations.list', { apiId }), {
    key: `operations:${apiId}`,
    refreshOn: (e) => e.kind === 'api' && e.id === apiId,
  });
  const { refresh } = resource;
  const after = useCallback(
    async <T>(result: Result<T>): Promise<Result<T>> => {
      if (result.ok) await refresh();
      return result;
    },
    [refresh],
  );
  const create = useCallback((fields: OperationFields) => client.call('operations.create', { apiId, ...fields }).then(after), [client, apiId, after]);
  const update = useCallback(
    (id: string, fields: OperationFields) => client.call('operations.update', { apiId, id, ...fields }).then(after),
    [client, apiId, after],
  );
  const remove = useCallback((id: string) => client.call('operations.delete', { apiId, id }).then(after), [client, apiId, after]);
  return { ...resource, operations: resource.data ?? EMPTY, create, update, remove };
}
