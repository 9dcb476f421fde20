/** Every API's credential in one read (`security.list`), for the APIs list; reloaded when a policy or certificate changes. */
import { useMemo } from 'react';
import type { ApiSecurity } from '../../../preload/contract/model';
import { loads } from '../first-loads';
import { useResource } from '../use-resource';

const EMPTY: readonly ApiSecurity[] = [];

/** The credentials by API id (empty until loaded or when they cannot be read: the column then stays blank). */
export function useApiCredentials(): ReadonlyMap<string, ApiSecurity> {
  const resource = useResource(loads.apiCredentials.load, {
    key: loads.apiCredentials.key,
    refreshOn: (e) => e.kind === 'policy' || e.kind === 'api' || e.kind === 'certificate',
  });
  const list = resource.data ?? EMPTY;
  return useMemo(() => new Map(list.map((entry) => [entry.apiId, entry])), [list]);
}
