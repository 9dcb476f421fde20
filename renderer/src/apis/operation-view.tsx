/**
 * One operation's page inside the Operations tab: what it matches, Edit and Delete, its own policy in the editor
 * and, read-only, the composed policy its calls run (All APIs, the API, then the operation through `<base />`);
 * "Diagnose this operation" checks its route as the gateway calls it, with the credential that composed policy presents.
 */
import { Button, Link, makeStyles, MessageBar, MessageBarBody, Text, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import { DeleteRegular, EditRegular } from '@fluentui/react-icons';
import type { Api, ApiOperation } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { routeHref } from '../shell/router';
import { EffectivePolicy, PolicyScopes } from './effective-policy';
import { DiagnoseButton } from './diagnose-button';
import { DiagnosisPanel } from './diagnosis-view';
import { methodLabel } from './operations-table';
import { PolicyPanel } from './policy-panel';
import { useDiagnose } from './use-diagnose';
import { usePolicy } from './use-policy';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  route: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'center' },
  diagnose: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const NO_CERTIFICATES: readonly never[] = [];

/** Diagnose the operation's route with the credential its composed policy presents (nothing is changed). */
function OperationDiagnose(props: { readonly apiId: string; readonly operationId: string }) {
  const i18n = useI18n();
  const styles = useStyles();
  const diagnose = useDiagnose(props.apiId, props.operationId);
  const running = diagnose.state.status === 'running';
  const hint = `operation-diagnose-hint-${props.operationId}`;
  return (
    <div className={styles.diagnose}>
      <div className={styles.actions}>
        <DiagnoseButton running={running} hintId={hint} label={i18n.t('operations.diagnose')} onClick={() => void diagnose.run(null)} />
        <Text id={hint} size={200}>
          {i18n.t('operations.diagnoseHint')}
        </Text>
      </div>
      <DiagnosisPanel state={diagnose.state} certificates={NO_CERTIFICATES} />
    </div>
  );
}

function OperationPolicy(props: { readonly apiId: string; readonly operation: ApiOperation }) {
  const i18n = useI18n();
  const policy = usePolicy({ kind: 'operation', apiId: props.apiId, operationId: props.operation.id });
  return (
    <PolicyScopes effective={<EffectivePolicy apiId={props.apiId} operationId={props.operation.id} heading="h4" />}>
      <Text as="h4" size={400} weight="semibold">
        {i18n.t('operations.policy')}
      </Text>
      <Text>{i18n.t('operations.policyHint')}</Text>
      <PolicyPanel policy={policy} label={i18n.t('operations.policyEditor', { name: props.operation.displayName })} />
    </PolicyScopes>
  );
}

/** The page of `operationId` (`operation` null: it does not exist, or no longer). */
export function OperationView(props: {
  readonly api: Api;
  readonly operationId: string;
  readonly operation: ApiOperation | null;
  readonly actions: { readonly edit: (op: ApiOperation) => void; readonly remove: (op: ApiOperation) => void };
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const restoreFocus = useRestoreFocusTarget();
  const op = props.operation;
  const back = <Link href={routeHref({ page: 'api', apiId: props.api.id, tab: 'operations' })}>{i18n.t('operations.back')}</Link>;
  if (!op) {
    return (
      <>
        {back}
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{i18n.t('operations.notFound', { id: props.operationId })}</MessageBarBody>
        </MessageBar>
      </>
    );
  }
  return (
    <>
      {back}
      <div className={styles.header}>
        <Text as="h3" size={500} weight="semibold">
          {op.displayName}
        </Text>
        <Text className={styles.route}>
          {methodLabel(op.method, i18n.t('operations.anyMethod'))} {props.api.path === '' ? '' : `/${props.api.path}`}
          {op.urlTemplate}
        </Text>
        {op.description && <Text>{op.description}</Text>}
      </div>
      <div className={styles.actions}>
        <Button icon={<EditRegular />} {...restoreFocus} onClick={() => props.actions.edit(op)}>
          {i18n.t('operations.edit')}
        </Button>
        <Button icon={<DeleteRegular />} {...restoreFocus} onClick={() => props.actions.remove(op)}>
          {i18n.t('operations.delete')}
        </Button>
      </div>
      <OperationPolicy key={op.id} apiId={props.api.id} operation={op} />
      <OperationDiagnose key={`diagnose-${op.id}`} apiId={props.api.id} operationId={op.id} />
    </>
  );
}
