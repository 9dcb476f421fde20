/**
 * `operations.policies`: what each operation's own policy does (its own statements, the credential it sets in
 * place of the API's), in one read, for the console's Operations tab: an imported API may have 1,000 operations.
 */
import { ok, type OperationPolicySummary, type Operations } from '../../../preload/contract';
import { parsePolicySections, type PolicySections } from '../policy';
import type { StoreData } from '../store/schema';
import { notFound } from './api-service';
import type { ServiceContext } from './context';
import { securityView } from './policy-service';
import { operationsOf } from './scopes';

/** True when every section is exactly `<base />` (the default policy, whatever its spacing). */
function onlyBase(sections: PolicySections): boolean {
  return Object.values(sections).every((items) => items.length === 1 && items[0]?.kind === 'base');
}

function summary(data: Readonly<StoreData>, operationId: string, xml: string): OperationPolicySummary {
  const parsed = parsePolicySections(xml);
  if (!parsed.ok) return { operationId, own: true, security: null, certificate: null };
  const security = securityView(parsed.value.effect.credential, data);
  const c = security.type === 'certificate' ? data.certificates.find((x) => x.id === security.certificateId) : undefined;
  const certificate = c ? { id: c.id, subject: c.subject, commonName: c.commonName, thumbprint: c.thumbprint, notAfter: c.notAfter } : null;
  return { operationId, own: !onlyBase(parsed.value.sections), security, certificate };
}

/** The operation's policy summaries, in the operations' order. */
export function operationPolicyOperations(ctx: ServiceContext): Pick<Operations, 'operations.policies'> {
  return {
    async 'operations.policies'({ apiId }) {
      const data = ctx.store.data;
      const api = data.apis.find((a) => a.id === apiId);
      if (!api) return notFound(apiId);
      return ok(operationsOf(api).map((op) => summary(data, op.id, op.policyXml)));
    },
  };
}
