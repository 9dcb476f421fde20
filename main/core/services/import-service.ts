import { fail, ok, type OpenApiImportResult, type Operations, type Result } from '../../../preload/contract';
import { readOpenApi, type OpenApiContent } from '../openapi/read-openapi';
import { DEFAULT_POLICY_XML } from '../policy';
import type { StoredApi, StoredOperation, StoreData } from '../store/schema';
import { checkPath } from './api-service';
import type { ServiceContext } from './context';
import { deriveId } from './ids';
import { collectUnusedNamedValues } from './named-values';
import { operationsOf } from './scopes';

const DEFAULT_TLS = { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] } as const;

/**
 * OpenAPI import: creates an API and its operations from a document, or updates them (operations matched by
 * id keep their policies; the ones the document no longer has are removed, and listed first by a preview).
 * Nothing is stored unless the whole document is valid.
 */
export function importOperations(ctx: ServiceContext): Pick<Operations, 'apis.import'> {
  return {
    async 'apis.import'(input) {
      const content = await readOpenApi(input.value, input.format);
      if (!content.ok) return content;
      const doc = content.value;
      const plan = (draft: Readonly<StoreData>): Result<{ readonly api: StoredApi; readonly result: OpenApiImportResult }> =>
        planImport(draft, doc, input, ctx.now().toISOString());
      if (!input.confirm) {
        const preview = plan(ctx.store.data);
        return preview.ok ? ok(preview.value.result) : preview;
      }
      let unusedRefs: string[] = [];
      const result = await ctx.store.update((draft) => {
        const planned = plan(draft);
        if (!planned.ok) return planned;
        const index = draft.apis.findIndex((a) => a.id === planned.value.api.id);
        if (index < 0) draft.apis.push(planned.value.api);
        else draft.apis[index] = planned.value.api;
        unusedRefs = collectUnusedNamedValues(draft);
        return ok({ ...planned.value.result, applied: true });
      });
      if (!result.ok) return result;
      for (const ref of unusedRefs) await ctx.vault.delete(ref);
      ctx.events.emit('changes', { kind: 'api', action: result.value.apiCreated ? 'created' : 'updated', id: result.value.apiId });
      return result;
    },
  };
}

interface ImportInput {
  readonly path: string;
  readonly id?: string | undefined;
  readonly serviceUrl?: string | undefined;
}

function planImport(
  data: Readonly<StoreData>,
  doc: OpenApiContent,
  input: ImportInput,
  stamp: string,
): Result<{ readonly api: StoredApi; readonly result: OpenApiImportResult }> {
  const id = input.id ?? deriveId(doc.title, new Set(), 'api');
  const existing = data.apis.find((a) => a.id === id) ?? null;
  const serviceUrl = input.serviceUrl ?? doc.serviceUrl ?? existing?.serviceUrl ?? null;
  if (serviceUrl === null) {
    return fail('validation', 'The document names no absolute server URL: give the service URL (--service-url).', { field: 'serviceUrl' });
  }
  const pathProblem = checkPath(data as StoreData, id, input.path);
  if (pathProblem) return pathProblem;
  const before = new Map((existing ? operationsOf(existing) : []).map((o) => [o.id, o]));
  const created: string[] = [];
  const updated: string[] = [];
  const operations: StoredOperation[] = doc.operations.map((op) => {
    const kept = before.get(op.id);
    if (kept) updated.push(op.id);
    else created.push(op.id);
    return {
      id: op.id,
      displayName: op.displayName,
      method: op.method,
      urlTemplate: op.urlTemplate,
      description: op.description,
      createdAt: kept?.createdAt ?? stamp,
      updatedAt: stamp,
      // Re-import keeps each operation's policy (its certificate among them).
      policyXml: kept?.policyXml ?? DEFAULT_POLICY_XML,
    };
  });
  const kept = new Set(operations.map((o) => o.id));
  const removed = [...before.keys()].filter((k) => !kept.has(k));
  const api: StoredApi = existing
    ? { ...existing, path: input.path, serviceUrl, updatedAt: stamp, operations }
    : {
        id,
        displayName: doc.title,
        path: input.path,
        serviceUrl,
        description: doc.description,
        backendTls: DEFAULT_TLS,
        createdAt: stamp,
        updatedAt: stamp,
        policyXml: DEFAULT_POLICY_XML,
        operations,
      };
  return ok({
    api,
    result: {
      apiId: id,
      apiCreated: existing === null,
      displayName: api.displayName,
      serviceUrl,
      path: input.path,
      created,
      updated,
      removed,
      warnings: doc.warnings,
      applied: false,
    },
  });
}
