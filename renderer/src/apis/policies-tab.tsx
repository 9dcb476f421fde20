/** An API's Policies tab: its own policy in the editor and, read-only, the policy its calls run (All APIs composed in). */
import { EffectivePolicy, PolicyScopes } from './effective-policy';
import { PolicyPanel } from './policy-panel';
import { usePolicy } from './use-policy';

/** The Policies tab. */
export function PoliciesTab(props: { readonly apiId: string }) {
  const policy = usePolicy({ kind: 'api', apiId: props.apiId });
  return (
    <PolicyScopes effective={<EffectivePolicy apiId={props.apiId} />}>
      <PolicyPanel policy={policy} />
    </PolicyScopes>
  );
}
