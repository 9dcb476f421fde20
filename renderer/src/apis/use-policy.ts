/**
 * A policy document at one of its three scopes (All APIs, an API, an operation): load it, save it (a refusal
 * carries the line and column of the problem); and the composed, read-only policy a call runs.
 */
import { useCallback, useRef } from 'react';
import type { EffectivePolicy, Policy } from '../../../preload/contract/model';
import type { CertGateClient } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { useResource, type Resource } from '../use-resource';

/** Where a policy sits: the global one ("All APIs"), an API's, or one of its operations'. */
export type PolicyScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'api'; readonly apiId: string }
  | { readonly kind: 'operation'; readonly apiId: string; readonly operationId: string };

/** The policy with its state, and the way to save it. */
export interface PolicyState extends Resource<Policy> {
  save(xml: string): Promise<Result<Policy>>;
}

function scopeKey(scope: PolicyScope): string {
  if (scope.kind === 'global') return 'policy:*';
  return scope.kind === 'api' ? `policy:${scope.apiId}` : `policy:${scope.apiId}/${scope.operationId}`;
}

function load(client: CertGateClient, scope: PolicyScope): Promise<Result<Policy>> {
  if (scope.kind === 'global') return client.call('globalPolicy.get', {});
  return client.call('policies.get', scope.kind === 'api' ? { apiId: scope.apiId } : { apiId: scope.apiId, operationId: scope.operationId });
}

function store(client: CertGateClient, scope: PolicyScope, xml: string): Promise<Result<Policy>> {
  if (scope.kind === 'global') return client.call('globalPolicy.set', { xml });
  const target = scope.kind === 'api' ? { apiId: scope.apiId } : { apiId: scope.apiId, operationId: scope.operationId };
  return client.call('policies.set', { ...target, xml });
}

/** Load the policy at `scope`; reload when a policy or its API changes (including through the Security tab). */
export function usePolicy(scope: PolicyScope): PolicyState {
  const client = useClient();
  const key = scopeKey(scope);
  const apiId = scope.kind === 'global' ? null : scope.apiId;
  const resource = useResource((c) => load(c, scope), {
    key,
    refreshOn: (e) => e.kind === 'policy' || (e.kind === 'api' && e.id === apiId),
  });
  const { refresh } = resource;
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  // `key` names the scope: the callback changes exactly when the scope does.
  const save = useCallback(
    async (xml: string) => {
      const result = await store(client, scopeRef.current, xml);
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh, key],
  );
  return { ...resource, save };
}

/** The composed policy (All APIs, the API and, with `operationId`, the operation), reloaded on every policy change. */
export function useEffectivePolicy(apiId: string, operationId?: string): Resource<EffectivePolicy> {
  return useResource((c) => c.call('policies.effective', operationId === undefined ? { apiId } : { apiId, operationId }), {
    key: `effective:${apiId}/${operationId ?? ''}`,
    refreshOn: (e) => e.kind === 'policy' || (e.kind === 'api' && e.id === apiId),
  });
}
