import { fail, ok, type Api, type BackendTls, type Operations, type Result } from '../../../preload/contract';
import { DEFAULT_POLICY_XML } from '../policy';
import type { StoredApi, StoreData } from '../store/schema';
import type { ServiceContext } from './context';
import { deriveId } from './ids';
import { collectUnusedNamedValues } from './named-values';

type ApiOperations = Pick<Operations, 'apis.list' | 'apis.get' | 'apis.create' | 'apis.update' | 'apis.delete'>;

const DEFAULT_TLS: BackendTls = { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] };

/** APIs: create, list, get, update, delete. Deleting an API keeps its certificates. */
export function apiOperations(ctx: ServiceContext): ApiOperations {
  return {
    async 'apis.list'() {
      return ok(ctx.store.data.apis.map(publicApi));
    },

    async 'apis.get'({ id }) {
      const api = ctx.store.data.apis.find((a) => a.id === id);
      return api ? ok(publicApi(api)) : notFound(id);
    },

    async 'apis.create'(input) {
      const stamp = ctx.now().toISOString();
      const result = await ctx.store.update((draft) => {
        const taken = new Set(draft.apis.map((a) => a.id));
        const id = input.id ?? deriveId(input.displayName, taken, 'api');
        if (taken.has(id)) return fail('duplicate', `An API with id "${id}" already exists.`, { existingId: id });
        const backendTls = { ...DEFAULT_TLS, ...input.backendTls };
        const problem = checkPath(draft, id, input.path) ?? checkCas(draft, backendTls);
        if (problem) return problem;
        const api: StoredApi = {
          id,
          displayName: input.displayName,
          path: input.path,
          serviceUrl: input.serviceUrl,
          description: input.description ?? '',
          backendTls,
          createdAt: stamp,
          updatedAt: stamp,
          policyXml: DEFAULT_POLICY_XML,
          operations: [],
        };
        draft.apis.push(api);
        return ok(publicApi(api));
      });
      if (result.ok) ctx.events.emit('changes', { kind: 'api', action: 'created', id: result.value.id });
      return result;
    },

    async 'apis.update'(input) {
      const result = await ctx.store.update((draft) => {
        const index = draft.apis.findIndex((a) => a.id === input.id);
        const api = draft.apis[index];
        if (!api) return notFound(input.id);
        const backendTls = { ...api.backendTls, ...input.backendTls };
        const path = input.path ?? api.path;
        const problem = checkPath(draft, api.id, path) ?? checkCas(draft, backendTls);
        if (problem) return problem;
        const updated: StoredApi = {
          ...api,
          displayName: input.displayName ?? api.displayName,
          path,
          serviceUrl: input.serviceUrl ?? api.serviceUrl,
          description: input.description ?? api.description,
          backendTls,
          updatedAt: ctx.now().toISOString(),
        };
        draft.apis[index] = updated;
        return ok(publicApi(updated));
      });
      if (result.ok) ctx.events.emit('changes', { kind: 'api', action: 'updated', id: input.id });
      return result;
    },

    async 'apis.delete'({ id }) {
      let unusedRefs: string[] = [];
      const result = await ctx.store.update((draft) => {
        const index = draft.apis.findIndex((a) => a.id === id);
        if (index < 0) return notFound(id);
        draft.apis.splice(index, 1);
        unusedRefs = collectUnusedNamedValues(draft);
        return ok({ id });
      });
      if (!result.ok) return result;
      for (const ref of unusedRefs) await ctx.vault.delete(ref);
      ctx.events.emit('changes', { kind: 'api', action: 'deleted', id });
      return result;
    },
  };
}

/** An API without its policy text (the policy has its own operations). */
export function publicApi(api: StoredApi): Api {
  const { policyXml: _policyXml, operations: _operations, ...rest } = api;
  return rest;
}

/** The `not-found` failure for an API id. */
export function notFound(id: string): Result<never> {
  return fail('not-found', `There is no API with id "${id}".`);
}

/** The `duplicate` failure when another API has this URL suffix, or null. */
export function checkPath(draft: StoreData, id: string, path: string): Result<never> | null {
  const clash = draft.apis.find((a) => a.id !== id && a.path.toLowerCase() === path.toLowerCase());
  if (!clash) return null;
  return fail(
    'duplicate',
    path === ''
      ? `The API "${clash.displayName}" already has the empty URL suffix; only one API may have it.`
      : `The URL suffix "${path}" is already used by the API "${clash.displayName}".`,
    { field: 'path', existingId: clash.id },
  );
}

function checkCas(draft: StoreData, tls: BackendTls): Result<never> | null {
  const missing = tls.trustedCaCertificateIds.filter((id) => !draft.caCertificates.some((c) => c.id === id));
  if (missing.length === 0) return null;
  return fail('validation', `There is no CA certificate with id ${missing.map((m) => `"${m}"`).join(', ')}; upload it first.`, {
    field: 'backendTls.trustedCaCertificateIds',
  });
}
