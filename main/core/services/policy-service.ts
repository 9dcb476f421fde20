import { fail, ok, type Operations, type Policy, type PolicyProblem, type Result, type Security } from '../../../preload/contract';
import { parsePolicy, parsePolicySections, setCredential, type Credential, type PolicyContext } from '../policy';
import type { StoreData } from '../store/schema';
import { Vault } from '../vault/vault';
import { notFound } from './api-service';
import { composedPolicy, globalPolicyXml, operationNotFound, operationsOf } from './scopes';
import type { ServiceContext } from './context';
import { normaliseThumbprint } from './ids';
import { basicPasswordName, collectUnusedNamedValues } from './named-values';

type PolicyOperations = Pick<
  Operations,
  'policies.get' | 'policies.set' | 'security.get' | 'security.list' | 'security.set' | 'globalPolicy.get' | 'globalPolicy.set' | 'policies.effective'
>;

/** Where a policy document sits: an API's, one of its operations', or the global one. */
type Target = { readonly apiId: string; readonly operationId?: string } | { readonly global: true };

/** Read and replace the policy text at a target in a draft, or the not-found failure. */
function locate(draft: StoreData, target: Target, stamp: string): Result<{ readonly xml: string; readonly put: (xml: string) => void }> {
  if ('global' in target) {
    return ok({ xml: globalPolicyXml(draft), put: (xml) => void (draft.globalPolicyXml = xml) });
  }
  const index = draft.apis.findIndex((a) => a.id === target.apiId);
  const api = draft.apis[index];
  if (!api) return notFound(target.apiId);
  if (target.operationId === undefined) {
    return ok({ xml: api.policyXml, put: (xml) => void (draft.apis[index] = { ...api, policyXml: xml, updatedAt: stamp }) });
  }
  const ops = operationsOf(api);
  const at = ops.findIndex((o) => o.id === target.operationId);
  const op = ops[at];
  if (!op) return operationNotFound(api.id, target.operationId);
  return ok({
    xml: op.policyXml,
    put: (xml) => void (draft.apis[index] = { ...api, operations: ops.map((o, i) => (i === at ? { ...op, policyXml: xml, updatedAt: stamp } : o)) }),
  });
}

/** Validate and store a new policy text at a target, in one atomic write; `extra` edits the same draft. */
async function commitPolicy(
  ctx: ServiceContext,
  target: Target | string,
  makeXml: (current: string, draft: StoreData) => Result<string>,
  extra?: (draft: StoreData) => void,
): Promise<Result<string>> {
  const where: Target = typeof target === 'string' ? { apiId: target } : target;
  let unusedRefs: string[] = [];
  const result = await ctx.store.update((draft) => {
    const found = locate(draft, where, ctx.now().toISOString());
    if (!found.ok) return found;
    extra?.(draft);
    const xml = makeXml(found.value.xml, draft);
    if (!xml.ok) return xml;
    const parsed = parsePolicy(xml.value, referenceContext(draft));
    if (!parsed.ok) return parsed;
    found.value.put(xml.value);
    unusedRefs = collectUnusedNamedValues(draft);
    return ok(xml.value);
  });
  if (!result.ok) return result;
  for (const ref of unusedRefs) await ctx.vault.delete(ref);
  ctx.events.emit('changes', { kind: 'policy', action: 'updated', id: 'global' in where ? '' : where.apiId });
  return result;
}

/** A stored policy as `policies.get` gives it: with the reason it does not parse, if it does not (kept as stored). */
function withProblem(policy: Policy): Policy {
  const parsed = parsePolicySections(policy.xml);
  if (parsed.ok) return policy;
  const details = parsed.error.details as PolicyProblem | undefined;
  return { ...policy, problem: details ?? { message: parsed.error.message, line: 1, column: 1 } };
}

/**
 * An API's policy document and the Security tab's view of it. The policy XML is the source of truth;
 * the security setting reads it and rewrites only its credential element.
 */
export function policyOperations(ctx: ServiceContext): PolicyOperations {
  return { ...scopeOperations(ctx), ...securityOperations(ctx) };
}

/** The policy documents at each scope (global, API, operation), and the composed one a call runs. */
function scopeOperations(ctx: ServiceContext): Pick<PolicyOperations, 'policies.get' | 'policies.set' | 'globalPolicy.get' | 'globalPolicy.set' | 'policies.effective'> {
  return {
    async 'policies.get'({ apiId, operationId }) {
      const api = ctx.store.data.apis.find((a) => a.id === apiId);
      if (!api) return notFound(apiId);
      if (operationId === undefined) return ok(withProblem({ apiId, xml: api.policyXml }));
      const op = operationsOf(api).find((o) => o.id === operationId);
      return op ? ok(withProblem({ apiId, operationId, xml: op.policyXml })) : operationNotFound(apiId, operationId);
    },

    async 'policies.set'({ apiId, operationId, xml }) {
      const result = await commitPolicy(ctx, operationId === undefined ? { apiId } : { apiId, operationId }, () => ok(xml));
      if (!result.ok) return result;
      return ok(operationId === undefined ? { apiId, xml: result.value } : { apiId, operationId, xml: result.value });
    },

    async 'globalPolicy.get'() {
      return ok(withProblem({ apiId: '', global: true, xml: globalPolicyXml(ctx.store.data) }));
    },

    async 'globalPolicy.set'({ xml }) {
      const result = await commitPolicy(ctx, { global: true }, () => ok(xml));
      return result.ok ? ok({ apiId: '', global: true, xml: result.value }) : result;
    },

    async 'policies.effective'({ apiId, operationId }) {
      const data = ctx.store.data;
      const api = data.apis.find((a) => a.id === apiId);
      if (!api) return notFound(apiId);
      const op = operationId === undefined ? null : (operationsOf(api).find((o) => o.id === operationId) ?? null);
      if (operationId !== undefined && !op) return operationNotFound(apiId, operationId);
      const composed = composedPolicy(data, api, op);
      return composed.ok ? ok({ apiId, operationId: operationId ?? null, xml: composed.value.xml }) : composed;
    },
  };
}

/** The Security tab: the API policy's credential, read and rewritten. */
function securityOperations(ctx: ServiceContext): Pick<PolicyOperations, 'security.get' | 'security.list' | 'security.set'> {
  return {
    async 'security.get'({ apiId }) {
      const api = ctx.store.data.apis.find((a) => a.id === apiId);
      if (!api) return notFound(apiId);
      const parsed = parsePolicy(api.policyXml);
      if (!parsed.ok) return parsed;
      return ok(securityView(parsed.value.credential, ctx.store.data));
    },

    async 'security.list'() {
      const data = ctx.store.data;
      const byId = new Map(data.certificates.map((c) => [c.id, c]));
      return ok(
        data.apis.map((api) => {
          const parsed = parsePolicy(api.policyXml);
          const security = parsed.ok ? securityView(parsed.value.credential, data) : null;
          const c = security?.type === 'certificate' ? byId.get(security.certificateId) : undefined;
          const certificate = c ? { id: c.id, subject: c.subject, commonName: c.commonName, thumbprint: c.thumbprint, notAfter: c.notAfter } : null;
          return { apiId: api.id, security, certificate };
        }),
      );
    },

    async 'security.set'({ apiId, security }) {
      switch (security.type) {
        case 'none': {
          const result = await commitPolicy(ctx, apiId, (xml) => setCredential(xml, { type: 'none' }));
          return result.ok ? ok({ type: 'none' }) : result;
        }
        case 'certificate': {
          const { certificateId } = security;
          const result = await commitPolicy(ctx, apiId, (xml, draft) =>
            draft.certificates.some((c) => c.id === certificateId)
              ? setCredential(xml, { type: 'certificate', by: 'certificate-id', value: certificateId })
              : fail('validation', `There is no client certificate with id "${certificateId}"; upload it first.`, {
                  field: 'certificateId',
                }),
          );
          return result.ok ? ok({ type: 'certificate', certificateId }) : result;
        }
        case 'basic':
          return setBasic(ctx, apiId, security.username, security.password);
      }
    },
  };
}

/** Basic authentication for an API: the password in the vault (kept when not given), `{{name}}` in the policy. */
async function setBasic(ctx: ServiceContext, apiId: string, username: string, password: string | undefined): Promise<Result<Security>> {
  if (!ctx.store.data.apis.some((a) => a.id === apiId)) return notFound(apiId);
  const name = basicPasswordName(apiId);
  const credential: Credential = { type: 'basic', username, passwordNamedValue: name };
  if (password === undefined) {
    // Keep the stored password: only the user name changes.
    if (!ctx.store.data.namedValues.some((n) => n.name === name)) {
      return fail('validation', 'A password is required: none is stored for this API yet.', { field: 'password' });
    }
    const kept = await commitPolicy(ctx, apiId, (xml) => setCredential(xml, credential));
    return kept.ok ? ok({ type: 'basic', username }) : kept;
  }
  const ref = Vault.newRef();
  // The password goes to the vault first; the policy only ever holds {{name}}.
  const put = await ctx.vault.put(ref, password);
  if (!put.ok) return put;
  let replacedRef: string | null = null;
  const result = await commitPolicy(
    ctx,
    apiId,
    (xml) => setCredential(xml, credential),
    (draft) => {
      const existing = draft.namedValues.find((n) => n.name === name);
      replacedRef = existing?.secretRef ?? null;
      draft.namedValues = [...draft.namedValues.filter((n) => n.name !== name), { name, secretRef: ref, createdAt: ctx.now().toISOString() }];
    },
  );
  if (!result.ok) {
    await ctx.vault.delete(ref);
    return result;
  }
  if (replacedRef) await ctx.vault.delete(replacedRef);
  return ok({ type: 'basic', username });
}

/** What the policy checks references against: the certificates and named values in a draft. */
export function referenceContext(data: Readonly<StoreData>): PolicyContext {
  const ids = new Set(data.certificates.map((c) => c.id));
  const thumbprints = new Set(data.certificates.map((c) => c.thumbprint));
  const names = new Set(data.namedValues.map((n) => n.name));
  return {
    hasCertificateId: (id) => ids.has(id),
    hasCertificateThumbprint: (t) => thumbprints.has(normaliseThumbprint(t)),
    hasNamedValue: (name) => names.has(name),
  };
}

/** The Security tab's model of a credential; a thumbprint reference is shown by the certificate's id. */
export function securityView(credential: Credential, data: Readonly<StoreData>): Security {
  switch (credential.type) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      return { type: 'basic', username: credential.username };
    case 'certificate': {
      if (credential.by === 'certificate-id') return { type: 'certificate', certificateId: credential.value };
      const thumbprint = normaliseThumbprint(credential.value);
      const cert = data.certificates.find((c) => c.thumbprint === thumbprint);
      return { type: 'certificate', certificateId: cert?.id ?? thumbprint };
    }
  }
}
