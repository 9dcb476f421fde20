/**
 * An API's Operations tab: the operations (method + URL template) with add, edit and delete; or, for one
 * operation, its page (its own policy and the composed one). An API with no operations forwards every path.
 */
import { Button, makeStyles, Text, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import type { Api, ApiOperation } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { navigate } from '../shell/router';
import { DeleteOperationDialog } from './delete-operation-dialog';
import { OperationCredential, useOperationCredentials } from './operation-credential';
import { OperationDialog } from './operation-dialog';
import { OperationView } from './operation-view';
import { OperationsTable } from './operations-table';
import { useOperations, type OperationsState } from './use-operations';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
});

/** Which dialog is open: add ('new'), edit (an operation), delete (an operation). */
function useOperationDialogs(api: Api, operations: OperationsState) {
  const i18n = useI18n();
  const notify = useNotify();
  const [editing, setEditing] = useState<ApiOperation | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ApiOperation | null>(null);
  const edited = editing === 'new' ? null : editing;
  const dialogs = (
    <>
      <OperationDialog
        open={editing !== null}
        operation={edited}
        submit={(fields) => (edited ? operations.update(edited.id, fields) : operations.create(fields))}
        onClose={() => setEditing(null)}
        onDone={(op) => {
          setEditing(null);
          notify(i18n.t(edited ? 'operations.saved' : 'operations.created', { name: op.displayName }));
        }}
      />
      <DeleteOperationDialog
        operation={deleting}
        remove={operations.remove}
        onClose={() => setDeleting(null)}
        onDeleted={(op) => {
          setDeleting(null);
          notify(i18n.t('operations.deleted', { name: op.displayName }));
          navigate({ page: 'api', apiId: api.id, tab: 'operations' });
        }}
      />
    </>
  );
  return { dialogs, add: () => setEditing('new'), edit: setEditing, remove: setDeleting };
}

/** The tab: the list, or one operation's page. */
export function OperationsTab(props: { readonly api: Api; readonly operationId: string | undefined }) {
  const i18n = useI18n();
  const styles = useStyles();
  const restoreFocus = useRestoreFocusTarget();
  const operations = useOperations(props.api.id);
  const credentials = useOperationCredentials(props.api.id);
  const actions = useOperationDialogs(props.api, operations);
  const now = useMemo(() => Date.now(), [credentials]);

  if (operations.loading) return <Loading />;
  if (!operations.data) return operations.error ? <ErrorBar error={operations.error} onRetry={() => void operations.refresh()} /> : null;
  const list = operations.operations;
  const addButton = (
    <Button appearance="primary" icon={<AddRegular />} {...restoreFocus} onClick={actions.add}>
      {i18n.t('operations.add')}
    </Button>
  );
  let body;
  if (props.operationId !== undefined) {
    body = <OperationView api={props.api} operation={list.find((o) => o.id === props.operationId) ?? null} operationId={props.operationId} actions={actions} />;
  } else if (list.length === 0) {
    body = <EmptyState title={i18n.t('operations.empty.title')} body={i18n.t('operations.empty.body')} action={addButton} />;
  } else {
    body = (
      <>
        <div className={styles.toolbar}>
          <Text>{i18n.tn('operations.count', list.length)}</Text>
          <span className={styles.grow} />
          {addButton}
        </div>
        <OperationsTable
          apiId={props.api.id}
          operations={list}
          credential={(op) => <OperationCredential apiId={props.api.id} summary={credentials.get(op.id)} now={now} />}
          onEdit={actions.edit}
          onDelete={actions.remove}
        />
      </>
    );
  }
  return (
    <div className={styles.root}>
      {operations.error && <ErrorBar error={operations.error} onRetry={() => void operations.refresh()} />}
      {body}
      {actions.dialogs}
    </div>
  );
}
