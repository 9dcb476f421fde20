/**
 * Which policies a certificate switch touches, at every scope: the global policy ("All APIs"), an API's, and
 * its operations'. A switch rewrites only the documents that present the old certificate, and says which it
 * rewrote (the rotation's record lists them, and a rollback switches exactly those back).
 */
import { fail, ok, type AppError, type Result, type RotationOperation } from '../../../preload/contract';
import { certificateReferences, parsePolicy, setCredential, type Credential } from '../policy';
import type { StoredOperation, StoreData } from '../store/schema';
import { normaliseThumbprint } from './ids';
import { referenceContext } from './policy-service';
import { composedPolicy, globalPolicyXml, operationsOf } from './scopes';
import { usageIndex } from './usage';

/** An API that a switch concerns. */
export interface ApiUser {
  readonly apiId: string;
  readonly apiName: string;
}

/** What a switch rewrote. */
export interface SwitchedScopes {
  /** The APIs whose own policy or operations' policies were rewritten. */
  readonly apiIds: readonly string[];
  readonly operations: readonly RotationOperation[];
  /** The global policy was rewritten. */
  readonly global: boolean;
}

/** The APIs whose own policies (the API's or an operation's) present a certificate (by certificate-id or thumbprint), each once. */
export function usersOf(data: Readonly<StoreData>, certificateId: string): ApiUser[] {
  const seen = new Map<string, string>();
  for (const u of usageIndex(data).certificates.get(certificateId) ?? []) if (!u.global && !seen.has(u.apiId)) seen.set(u.apiId, u.apiName);
  return [...seen].map(([apiId, apiName]) => ({ apiId, apiName }));
}

/** True when the global policy presents the certificate. */
export function globalUses(data: Readonly<StoreData>, certificateId: string): boolean {
  return (usageIndex(data).certificates.get(certificateId) ?? []).some((u) => u.global === true);
}

/**
 * The APIs whose calls present the certificate: those whose own policies name it, and those that inherit it
 * from the global policy (at the API or at one of its operations). A preflight diagnoses each of them.
 */
export function presentersOf(data: Readonly<StoreData>, certificateId: string): ApiUser[] {
  const users = usersOf(data, certificateId);
  const cert = data.certificates.find((c) => c.id === certificateId);
  if (!cert || !globalUses(data, certificateId)) return users;
  const named = new Set(users.map((u) => u.apiId));
  const presents = (credential: Credential): boolean =>
    credential.type === 'certificate' &&
    (credential.by === 'thumbprint' ? normaliseThumbprint(credential.value) === cert.thumbprint : credential.value === cert.id);
  const inheriting = data.apis.filter(
    (api) => !named.has(api.id) && [null, ...operationsOf(api)].some((op) => {
      const composed = composedPolicy(data, api, op);
      return composed.ok && presents(composed.value.effect.credential);
    }),
  );
  return [...users, ...inheriting.map((api) => ({ apiId: api.id, apiName: api.displayName }))];
}

/**
 * In a draft, point the policies that present `from` at `to` (by certificate-id, which survives later
 * replacements): those of the chosen APIs (their own and their operations'), and the global one when chosen.
 * Any policy that cannot be rewritten fails the whole change.
 */
export function switchScopes(
  draft: StoreData,
  choice: { readonly apiIds: readonly string[]; readonly global: boolean },
  from: string,
  to: string,
  stamp: string,
): Result<SwitchedScopes> {
  const rewrite = rewriter(draft, from, to);
  let global = false;
  if (choice.global) {
    const xml = rewrite(globalPolicyXml(draft));
    if (!xml.ok) return notSwitched('All APIs (the global policy)', to, xml.error);
    if (xml.value !== null) draft.globalPolicyXml = xml.value;
    global = xml.value !== null;
  }
  const apiIds: string[] = [];
  const operations: RotationOperation[] = [];
  const users = new Set(usersOf(draft, from).map((u) => u.apiId));
  for (const apiId of new Set(choice.apiIds)) {
    const index = draft.apis.findIndex((a) => a.id === apiId);
    const api = draft.apis[index];
    if (!api || !users.has(apiId)) continue;
    // Only the scopes that present `from` are rewritten: an API whose operations use it keeps its own policy.
    const apiXml = rewrite(api.policyXml);
    if (!apiXml.ok) return notSwitched(api.displayName, to, apiXml.error);
    const ops: StoredOperation[] = [];
    for (const op of operationsOf(api)) {
      const opXml = rewrite(op.policyXml);
      if (!opXml.ok) return notSwitched(`${api.displayName} (operation ${op.displayName})`, to, opXml.error);
      if (opXml.value !== null) operations.push({ apiId, operationId: op.id });
      ops.push(opXml.value === null ? op : { ...op, policyXml: opXml.value, updatedAt: stamp });
    }
    draft.apis[index] = { ...api, policyXml: apiXml.value ?? api.policyXml, ...(api.operations ? { operations: ops } : {}), updatedAt: stamp };
    apiIds.push(apiId);
  }
  return ok({ apiIds, operations, global });
}

/** A policy text rewritten to present `to` where it presents `from` (checked), or null when it does not present `from`. */
function rewriter(draft: StoreData, from: string, to: string): (xml: string) => Result<string | null> {
  const context = referenceContext(draft);
  const fromThumbprint = draft.certificates.find((c) => c.id === from)?.thumbprint ?? null;
  const presents = (xml: string): boolean =>
    certificateReferences(xml).some((r) => (r.by === 'certificate-id' ? r.value === from : r.value === fromThumbprint));
  return (policyXml) => {
    if (!presents(policyXml)) return ok(null);
    const xml = setCredential(policyXml, { type: 'certificate', by: 'certificate-id', value: to });
    if (!xml.ok) return xml;
    const checked = parsePolicy(xml.value, context);
    return checked.ok ? xml : checked;
  };
}

function notSwitched(scope: string, to: string, error: AppError): Result<never> {
  return fail(error.code, `The policy of "${scope}" could not be switched to "${to}": ${error.message} Nothing was switched.`, error.details);
}
