/**
 * The fake client's operations, operation policies, global policy, effective view and OpenAPI import, with the
 * core's rules where the console shows them: unique (method, template) per API, policies checked by the real
 * parser, composition through <base /> by the real composer, a preview that stores nothing.
 */
import { parse as parseYaml } from 'yaml';
import type { ApiOperation, OperationInput, OperationOutput, OperationPolicySummary, Result, Security } from '../../preload/contract';
import { composePolicies, DEFAULT_GLOBAL_POLICY_XML, DEFAULT_POLICY_XML, parsePolicy, parsePolicySections } from '../../main/core/policy';
import type { FakeClient, Handlers } from './fake-client';

type OperationHandlers = 'operations.list' | 'operations.get' | 'operations.create' | 'operations.update' | 'operations.delete' | 'operations.policies' | 'globalPolicy.get' | 'globalPolicy.set' | 'policies.effective' | 'apis.import';

function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

function fail<T = never>(code: 'not-found' | 'duplicate' | 'validation' | 'policy-invalid', message: string, details?: unknown): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** What the fake keeps about operations. */
export class FakeOperations {
  readonly operations = new Map<string, ApiOperation[]>();
  readonly policies = new Map<string, string>();
  globalPolicy = DEFAULT_GLOBAL_POLICY_XML;

  /** An API's operations (a copy of the list). */
  of(apiId: string): ApiOperation[] {
    return [...(this.operations.get(apiId) ?? [])];
  }

  /** Seed an operation directly (tests). */
  add(op: Omit<ApiOperation, 'createdAt' | 'updatedAt' | 'description'> & { readonly description?: string }, policyXml = DEFAULT_POLICY_XML): void {
    const now = new Date().toISOString();
    this.operations.set(op.apiId, [...this.of(op.apiId), { description: '', ...op, createdAt: now, updatedAt: now }]);
    this.policies.set(`${op.apiId}/${op.id}`, policyXml);
  }
}

function routeKey(method: string, template: string): string {
  return `${method.toUpperCase()} ${template.replace(/\{[^}]*\}/g, '{}').toLowerCase()}`;
}

/** The base handlers plus the operations' ones; policies.get/set and apis.diagnose learn `operationId`. */
export function withOperations(client: FakeClient, base: Omit<Handlers, OperationHandlers>): Handlers {
  const store = client.operationStore;
  const apiOf = (apiId: string) => client.apis.get(apiId);
  const find = (apiId: string, id: string) => store.of(apiId).find((o) => o.id === id);
  const noApi = (apiId: string) => fail<never>('not-found', `There is no API "${apiId}".`);
  const noOp = (apiId: string, id: string) => fail<never>('not-found', `The API "${apiId}" has no operation with id "${id}".`);
  const checkXml = (xml: string): Result<null> => {
    const parsed = parsePolicy(xml);
    return parsed.ok ? ok(null) : parsed;
  };
  /** Thrown by `sections` for a stored policy that does not parse; policies.effective answers it as the core does. */
  class InvalidPolicy extends Error {}
  const sections = (xml: string) => {
    const parsed = parsePolicySections(xml);
    if (!parsed.ok) throw new InvalidPolicy(parsed.error.message);
    return parsed.value.sections;
  };

  const effective = ({ apiId, operationId }: OperationInput<'policies.effective'>): Result<OperationOutput<'policies.effective'>> => {
    const api = apiOf(apiId);
    if (!api) return noApi(apiId);
    const chain = [
      { label: 'All APIs', sections: sections(store.globalPolicy) },
      { label: `API "${api.displayName}"`, sections: sections(client.policies.get(apiId) ?? DEFAULT_POLICY_XML) },
    ];
    if (operationId !== undefined) {
      const op = find(apiId, operationId);
      if (!op) return noOp(apiId, operationId);
      chain.push({ label: `Operation "${op.displayName}"`, sections: sections(store.policies.get(`${apiId}/${operationId}`) ?? DEFAULT_POLICY_XML) });
    }
    return ok({ apiId, operationId: operationId ?? null, xml: composePolicies(chain).xml });
  };

  const handlers: Pick<Handlers, OperationHandlers | 'policies.get' | 'policies.set' | 'apis.diagnose'> = {
    'operations.list': ({ apiId }) => (apiOf(apiId) ? ok(store.of(apiId)) : noApi(apiId)),
    'operations.get': ({ apiId, id }) => {
      if (!apiOf(apiId)) return noApi(apiId);
      const op = find(apiId, id);
      return op ? ok(op) : noOp(apiId, id);
    },
    'operations.create': (input) => {
      if (!apiOf(input.apiId)) return noApi(input.apiId);
      const id = input.id ?? input.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const method = input.method.toUpperCase();
      if (find(input.apiId, id)) return fail('duplicate', `An operation with id "${id}" already exists.`);
      const clash = store.of(input.apiId).find((o) => routeKey(o.method, o.urlTemplate) === routeKey(method, input.urlTemplate));
      if (clash) return fail('duplicate', `The operation "${clash.displayName}" already answers ${method} ${clash.urlTemplate}.`, { field: 'urlTemplate', existingId: clash.id });
      if (!input.urlTemplate.startsWith('/')) return fail('validation', 'A URL template starts with "/".', { field: 'urlTemplate' });
      store.add({ apiId: input.apiId, id, displayName: input.displayName, method, urlTemplate: input.urlTemplate, description: input.description ?? '' });
      client.emitChange({ kind: 'api', action: 'updated', id: input.apiId });
      return ok(find(input.apiId, id) as ApiOperation);
    },
    'operations.update': (input) => {
      if (!apiOf(input.apiId)) return noApi(input.apiId);
      const op = find(input.apiId, input.id);
      if (!op) return noOp(input.apiId, input.id);
      const method = (input.method ?? op.method).toUpperCase();
      const urlTemplate = input.urlTemplate ?? op.urlTemplate;
      const clash = store.of(input.apiId).find((o) => o.id !== op.id && routeKey(o.method, o.urlTemplate) === routeKey(method, urlTemplate));
      if (clash) return fail('duplicate', `The operation "${clash.displayName}" already answers ${method} ${clash.urlTemplate}.`, { field: 'urlTemplate', existingId: clash.id });
      const updated: ApiOperation = {
        ...op,
        displayName: input.displayName ?? op.displayName,
        method,
        urlTemplate,
        description: input.description ?? op.description,
        updatedAt: new Date().toISOString(),
      };
      store.operations.set(input.apiId, store.of(input.apiId).map((o) => (o.id === op.id ? updated : o)));
      client.emitChange({ kind: 'api', action: 'updated', id: input.apiId });
      return ok(updated);
    },
    'operations.delete': ({ apiId, id }) => {
      if (!apiOf(apiId)) return noApi(apiId);
      if (!find(apiId, id)) return noOp(apiId, id);
      store.operations.set(apiId, store.of(apiId).filter((o) => o.id !== id));
      store.policies.delete(`${apiId}/${id}`);
      client.emitChange({ kind: 'api', action: 'updated', id: apiId });
      return ok({ apiId, id });
    },
    'operations.policies': ({ apiId }) => (apiOf(apiId) ? ok(store.of(apiId).map((op) => policySummary(client, apiId, op.id))) : noApi(apiId)),
    'policies.get': (input) => {
      if (input.operationId === undefined) return base['policies.get'](input);
      if (!apiOf(input.apiId)) return noApi(input.apiId);
      const xml = store.policies.get(`${input.apiId}/${input.operationId}`);
      return xml === undefined ? noOp(input.apiId, input.operationId) : ok({ apiId: input.apiId, operationId: input.operationId, xml });
    },
    'policies.set': (input) => {
      if (input.operationId === undefined) return base['policies.set'](input);
      if (!apiOf(input.apiId)) return noApi(input.apiId);
      if (!find(input.apiId, input.operationId)) return noOp(input.apiId, input.operationId);
      const checked = checkXml(input.xml);
      if (!checked.ok) return checked;
      store.policies.set(`${input.apiId}/${input.operationId}`, input.xml);
      client.emitChange({ kind: 'policy', action: 'updated', id: input.apiId });
      return ok({ apiId: input.apiId, operationId: input.operationId, xml: input.xml });
    },
    'globalPolicy.get': () => ok({ apiId: '', global: true, xml: store.globalPolicy }),
    'globalPolicy.set': ({ xml }) => {
      const checked = checkXml(xml);
      if (!checked.ok) return checked;
      store.globalPolicy = xml;
      client.emitChange({ kind: 'policy', action: 'updated', id: '' });
      return ok({ apiId: '', global: true, xml });
    },
    'policies.effective': (input) => {
      try {
        return effective(input);
      } catch (err) {
        if (err instanceof InvalidPolicy) return fail('policy-invalid', err.message);
        throw err;
      }
    },
    'apis.import': (input) => fakeImport(client, input),
    // As the core: the operation's composed credential (its own, else the API's) unless another is chosen.
    'apis.diagnose': (input) => {
      if (input.operationId === undefined) return base['apis.diagnose'](input);
      if (!apiOf(input.id)) return noApi(input.id);
      if (!find(input.id, input.operationId)) return fail('not-found', `The API "${input.id}" has no operation "${input.operationId}".`);
      const own = policySummary(client, input.id, input.operationId).security;
      const certificateId = input.certificateId ?? (own?.type === 'certificate' ? own.certificateId : undefined);
      const result = base['apis.diagnose']({ id: input.id, ...(certificateId !== undefined && { certificateId }) });
      return result.ok ? ok({ ...result.value, operationId: input.operationId }) : result;
    },
  };
  return { ...base, ...handlers } as Handlers;
}

/** As the core's `operations.policies`: own statements beyond `<base />`, and the credential it sets. */
function policySummary(client: FakeClient, apiId: string, operationId: string): OperationPolicySummary {
  const parsed = parsePolicySections(client.operationStore.policies.get(`${apiId}/${operationId}`) ?? DEFAULT_POLICY_XML);
  if (!parsed.ok) return { operationId, own: true, security: null, certificate: null };
  const own = Object.values(parsed.value.sections).some((items) => items.length !== 1 || items[0]?.kind !== 'base');
  const credential = parsed.value.effect.credential;
  const security: Security =
    credential.type === 'certificate' ? { type: 'certificate', certificateId: credential.value } : credential.type === 'basic' ? { type: 'basic', username: credential.username } : { type: 'none' };
  const c = security.type === 'certificate' ? client.certificates.get(security.certificateId) : undefined;
  const certificate = c ? { id: c.id, subject: c.subject, commonName: c.commonName, thumbprint: c.thumbprint, notAfter: c.notAfter } : null;
  return { operationId, own, security, certificate };
}

/** The first `$ref` that points outside the document (as the core refuses it), or null. */
function externalRef(value: unknown): string | null {
  if (Array.isArray(value)) return value.map(externalRef).find((r) => r !== null) ?? null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && !inner.startsWith('#')) return inner;
    const found = externalRef(inner);
    if (found !== null) return found;
  }
  return null;
}

function fakeImport(client: FakeClient, input: OperationInput<'apis.import'>): Result<OperationOutput<'apis.import'>> {
  if (input.value.length > 32 * 1024 * 1024) {
    return fail('validation', 'An OpenAPI document has at most 32 MiB.', { issues: [{ path: ['value'], message: 'An OpenAPI document has at most 32 MiB.' }] });
  }
  let doc: Record<string, unknown>;
  try {
    doc = (input.format === 'openapi+json' ? JSON.parse(input.value) : parseYaml(input.value)) as Record<string, unknown>;
  } catch {
    return fail('validation', 'The document is not valid JSON or YAML.');
  }
  if (typeof doc?.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi)) return fail('validation', 'This is not an OpenAPI 3.0 or 3.1 document.');
  const ref = externalRef(doc);
  if (ref !== null) return fail('validation', `The document refers to "${ref}" outside itself; CertGate reads no other file or URL. Bundle the description into one document first.`, { ref });
  const title = String((doc.info as { title?: string } | undefined)?.title ?? 'Imported API');
  const id = input.id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const servers = doc.servers as { url?: string }[] | undefined;
  const serviceUrl = input.serviceUrl ?? servers?.[0]?.url ?? client.apis.get(id)?.serviceUrl;
  if (!serviceUrl || !/^https?:\/\//.test(serviceUrl)) return fail('validation', 'The document names no absolute server URL: give the service URL.', { field: 'serviceUrl' });
  const found: Omit<ApiOperation, 'createdAt' | 'updatedAt'>[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, { operationId?: string; summary?: string; description?: string }>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(method)) continue;
      const opId = op.operationId ?? `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      found.push({ apiId: id, id: opId, displayName: op.summary ?? opId, method: method.toUpperCase(), urlTemplate: path, description: op.description ?? '' });
    }
  }
  const clash = [...client.apis.values()].find((a) => a.id !== id && a.path === input.path);
  if (clash) return fail('duplicate', `The URL suffix "${input.path}" is already used by the API "${clash.displayName}".`, { field: 'path', existingId: clash.id });
  const existing = client.apis.get(id);
  const before = client.operationStore.of(id);
  const created = found.filter((f) => !before.some((b) => b.id === f.id)).map((f) => f.id);
  const updated = found.filter((f) => before.some((b) => b.id === f.id)).map((f) => f.id);
  const removed = before.filter((b) => !found.some((f) => f.id === b.id)).map((b) => b.id);
  const result = { apiId: id, apiCreated: !existing, displayName: existing?.displayName ?? title, serviceUrl, path: input.path, created, updated, removed, warnings: [], applied: input.confirm };
  if (!input.confirm) return ok(result);
  const now = new Date().toISOString();
  const api = existing
    ? { ...existing, path: input.path, serviceUrl, updatedAt: now }
    : { id, displayName: title, path: input.path, serviceUrl, description: '', backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] }, createdAt: now, updatedAt: now };
  client.apis.set(id, api);
  if (!client.policies.has(id)) client.policies.set(id, DEFAULT_POLICY_XML);
  const kept = new Map(before.map((b) => [b.id, b]));
  client.operationStore.operations.set(id, found.map((f) => ({ ...f, createdAt: kept.get(f.id)?.createdAt ?? now, updatedAt: now })));
  for (const f of found) if (!client.operationStore.policies.has(`${id}/${f.id}`)) client.operationStore.policies.set(`${id}/${f.id}`, DEFAULT_POLICY_XML);
  for (const r of removed) client.operationStore.policies.delete(`${id}/${r}`);
  client.emitChange({ kind: 'api', action: existing ? 'updated' : 'created', id });
  return ok(result);
}
