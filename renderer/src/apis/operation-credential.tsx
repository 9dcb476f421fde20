/**
 * The Operations tab's policy column: whether an operation only inherits the API's policy, has statements of its
 * own, or presents its own credential (a certificate shown by subject, last four and expiry) in place of the API's.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { OperationPolicySummary } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useResource } from '../use-resource';
import { CredentialsCell } from './credentials-cell';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  own: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  tag: { fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold },
});

const EMPTY: readonly OperationPolicySummary[] = [];

/** Each operation's summary by id (empty until loaded: the column then stays blank). */
export function useOperationCredentials(apiId: string): ReadonlyMap<string, OperationPolicySummary> {
  const resource = useResource((c) => c.call('operations.policies', { apiId }), {
    key: `operations.policies:${apiId}`,
    refreshOn: (e) => e.kind === 'policy' || e.kind === 'certificate' || (e.kind === 'api' && e.id === apiId),
  });
  const list = resource.data ?? EMPTY;
  return useMemo(() => new Map(list.map((entry) => [entry.operationId, entry])), [list]);
}

/** One operation's cell. */
export function OperationCredential(props: { readonly apiId: string; readonly summary: OperationPolicySummary | undefined; readonly now: number }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { summary } = props;
  if (!summary) return null;
  if (summary.security?.type === 'none') {
    return <span className={summary.own ? undefined : styles.muted}>{i18n.t(summary.own ? 'operations.ownPolicy' : 'operations.inherits')}</span>;
  }
  return (
    <span className={styles.own}>
      <span className={styles.tag}>{i18n.t('operations.ownCredential')}</span>
      <CredentialsCell entry={{ apiId: props.apiId, security: summary.security, certificate: summary.certificate }} now={props.now} />
    </span>
  );
}
