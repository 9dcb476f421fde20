/**
 * Policy scopes over the store: every policy document with where it sits (global, an API, an operation), and the
 * composed policy a call to an API (or one of its operations) runs.
 */
import { fail, ok, type ApiOperation, type Result } from '../../../preload/contract';
import { composePolicies, DEFAULT_GLOBAL_POLICY_XML, parsePolicySections, type ComposedPolicy, type ScopedPolicy } from '../policy';
import type { StoredApi, StoredOperation, StoreData } from '../store/schema';

/** One policy document and its scope. */
export interface ScopedDocument {
  readonly xml: string;
  /** '' for the global policy. */
  readonly apiId: string;
  readonly apiName: string;
  readonly operationId?: string;
  readonly operationName?: string;
  readonly global?: boolean;
}

/** The global policy's text. */
export function globalPolicyXml(data: Readonly<StoreData>): string {
  return data.globalPolicyXml ?? DEFAULT_GLOBAL_POLICY_XML;
}

/** An API's operations (none for an API stored before operations existed). */
export function operationsOf(api: StoredApi): readonly StoredOperation[] {
  return api.operations ?? [];
}

/** Every policy document in the store: the global one, each API's, each operation's. */
export function allPolicies(data: Readonly<StoreData>): ScopedDocument[] {
  const docs: ScopedDocument[] = [{ xml: globalPolicyXml(data), apiId: '', apiName: '', global: true }];
  for (const api of data.apis) {
    docs.push({ xml: api.policyXml, apiId: api.id, apiName: api.displayName });
    for (const op of operationsOf(api)) {
      docs.push({ xml: op.policyXml, apiId: api.id, apiName: api.displayName, operationId: op.id, operationName: op.displayName });
    }
  }
  return docs;
}

/** The composed policy of an API, or of one of its operations. */
export function composedPolicy(data: Readonly<StoreData>, api: StoredApi, operation: StoredOperation | null): Result<ComposedPolicy> {
  const chain: ScopedPolicy[] = [];
  const scopes: [string, string][] = [
    ['All APIs', globalPolicyXml(data)],
    [`API "${api.displayName}"`, api.policyXml],
  ];
  if (operation) scopes.push([`Operation "${operation.displayName}"`, operation.policyXml]);
  for (const [label, xml] of scopes) {
    const parsed = parsePolicySections(xml);
    if (!parsed.ok) {
      // A stored policy that no longer parses (written before a rule it breaks existed, or by hand): kept as it
      // is, reported with its line and column wherever it is used.
      return fail('policy-invalid', `The policy of ${label === 'All APIs' ? 'All APIs (global)' : label} is not valid: ${parsed.error.message}`, parsed.error.details);
    }
    chain.push({ label, sections: parsed.value.sections });
  }
  return ok(composePolicies(chain));
}

/** An operation as the contract shows it. */
export function publicOperation(apiId: string, op: StoredOperation): ApiOperation {
  const { policyXml: _policyXml, ...rest } = op;
  return { ...rest, apiId };
}

/** The `not-found` failure for an operation id. */
export function operationNotFound(apiId: string, id: string): Result<never> {
  return fail('not-found', `The API "${apiId}" has no operation with id "${id}".`);
}
