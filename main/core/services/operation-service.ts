import { fail, ok, type ApiOperation, type Operations, type ParsedInput, type Result } from '../../../preload/contract';
import { parseTemplate } from '../gateway/route-table';
import { DEFAULT_POLICY_XML } from '../policy';
import type { StoredApi, StoredOperation, StoreData } from '../store/schema';
import { notFound } from './api-service';
import type { ServiceContext } from './context';
import { deriveId } from './ids';
import { collectUnusedNamedValues } from './named-values';
import { operationNotFound, operationsOf, publicOperation } from './scopes';

type OperationOps = Pick<Operations, 'operations.list' | 'operations.get' | 'operations.create' | 'operations.update' | 'operations.delete'>;

/**
 * An API's operations: method (or `*`) + URL template, each with its own policy. An API with none forwards
 * every path; with some, a call that matches none is answered `no-operation`.
 */
export function operationOperations(ctx: ServiceContext): OperationOps {
  return {
    async 'operations.list'({ apiId }) {
      const api = ctx.store.data.apis.find((a) => a.id === apiId);
      return api ? ok(operationsOf(api).map((op) => publicOperation(api.id, op))) : notFound(apiId);
    },

    async 'operations.get'({ apiId, id }) {
      const api = ctx.store.data.apis.find((a) => a.id === apiId);
      if (!api) return notFound(apiId);
      const op = operationsOf(api).find((o) => o.id === id);
      return op ? ok(publicOperation(api.id, op)) : operationNotFound(apiId, id);
    },

    async 'operations.create'(input) {
      const stamp = ctx.now().toISOString();
      const result = await ctx.store.update((draft) => createIn(draft, input, stamp));
      if (result.ok) ctx.events.emit('changes', { kind: 'api', action: 'updated', id: input.apiId });
      return result;
    },

    async 'operations.update'(input) {
      const stamp = ctx.now().toISOString();
      const result = await ctx.store.update((draft) => updateIn(draft, input, stamp));
      if (result.ok) ctx.events.emit('changes', { kind: 'api', action: 'updated', id: input.apiId });
      return result;
    },

    async 'operations.delete'({ apiId, id }) {
      let unusedRefs: string[] = [];
      const result = await ctx.store.update((draft) => {
        const index = draft.apis.findIndex((a) => a.id === apiId);
        const api = draft.apis[index];
        if (!api) return notFound(apiId);
        const ops = operationsOf(api);
        if (!ops.some((o) => o.id === id)) return operationNotFound(apiId, id);
        draft.apis[index] = { ...api, operations: ops.filter((o) => o.id !== id) };
        unusedRefs = collectUnusedNamedValues(draft);
        return ok({ apiId, id });
      });
      if (!result.ok) return result;
      for (const ref of unusedRefs) await ctx.vault.delete(ref);
      ctx.events.emit('changes', { kind: 'api', action: 'updated', id: apiId });
      return result;
    },
  };
}

/** In a draft, add an operation (its id derived from the display name when not given), with the default policy. */
function createIn(draft: StoreData, input: ParsedInput<'operations.create'>, stamp: string): Result<ApiOperation> {
  const index = draft.apis.findIndex((a) => a.id === input.apiId);
  const api = draft.apis[index];
  if (!api) return notFound(input.apiId);
  const ops = operationsOf(api);
  const taken = new Set(ops.map((o) => o.id));
  const id = input.id ?? deriveId(input.displayName, taken, 'operation');
  if (ops.some((o) => o.id.toLowerCase() === id.toLowerCase())) {
    return fail('duplicate', `The API "${api.displayName}" already has an operation with id "${id}".`, { existingId: id });
  }
  const problem = checkOperation(api, id, input.method, input.urlTemplate);
  if (problem) return problem;
  const op: StoredOperation = {
    id,
    displayName: input.displayName,
    method: input.method,
    urlTemplate: input.urlTemplate,
    description: input.description ?? '',
    createdAt: stamp,
    updatedAt: stamp,
    policyXml: DEFAULT_POLICY_XML,
  };
  draft.apis[index] = { ...api, operations: [...ops, op] };
  return ok(publicOperation(api.id, op));
}

/** In a draft, change an operation's fields (those given); its policy is kept. */
function updateIn(draft: StoreData, input: ParsedInput<'operations.update'>, stamp: string): Result<ApiOperation> {
  const index = draft.apis.findIndex((a) => a.id === input.apiId);
  const api = draft.apis[index];
  if (!api) return notFound(input.apiId);
  const ops = operationsOf(api);
  const at = ops.findIndex((o) => o.id === input.id);
  const op = ops[at];
  if (!op) return operationNotFound(input.apiId, input.id);
  const method = input.method ?? op.method;
  const urlTemplate = input.urlTemplate ?? op.urlTemplate;
  const problem = checkOperation(api, op.id, method, urlTemplate);
  if (problem) return problem;
  const updated: StoredOperation = {
    ...op,
    displayName: input.displayName ?? op.displayName,
    method,
    urlTemplate,
    description: input.description ?? op.description,
    updatedAt: stamp,
  };
  draft.apis[index] = { ...api, operations: ops.map((o, i) => (i === at ? updated : o)) };
  return ok(publicOperation(api.id, updated));
}

/**
 * Why an operation cannot be stored: a template the gateway cannot match, or the same (method, template) as
 * another operation of the API (parameter names aside: `/a/{id}` and `/a/{key}` are one route). Null if fine.
 */
export function checkOperation(api: StoredApi, id: string, method: string, urlTemplate: string): Result<never> | null {
  const key = routeKey(method, urlTemplate);
  if (key.startsWith('!')) return fail('validation', key.slice(1), { field: 'urlTemplate' });
  const clash = operationsOf(api).find((o) => o.id !== id && routeKey(o.method, o.urlTemplate) === key);
  if (!clash) return null;
  return fail('duplicate', `The operation "${clash.displayName}" already answers ${method} ${clash.urlTemplate} in the API "${api.displayName}".`, {
    field: 'urlTemplate',
    existingId: clash.id,
  });
}

/** The (method, template) identity of an operation; '!' + the problem when the template is not valid. */
export function routeKey(method: string, urlTemplate: string): string {
  const parsed = parseTemplate(urlTemplate);
  if (typeof parsed === 'string') return `!${parsed}`;
  const path = parsed.segments.map((s) => (s.kind === 'param' ? '{}' : s.kind === 'pattern' ? s.source : s.value)).join('/');
  return `${method.toUpperCase()} /${path}${parsed.wildcard ? '/*' : ''}?${[...parsed.query].sort().join('&')}`;
}
