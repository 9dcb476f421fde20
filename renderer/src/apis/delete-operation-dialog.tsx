/** "Delete operation?": its policy goes with it, and calls to its template then match another operation or none. */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiOperation } from '../../../preload/contract/model';
import type { AppError, Result } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';

/** The confirmation for `operation` (closed when null). */
export function DeleteOperationDialog(props: {
  readonly operation: ApiOperation | null;
  readonly remove: (id: string) => Promise<Result<unknown>>;
  readonly onClose: () => void;
  readonly onDeleted: (operation: ApiOperation) => void;
}) {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const op = props.operation;
  const close = () => {
    setError(null);
    props.onClose();
  };
  const confirm = async () => {
    if (!op || busy) return;
    setBusy(true);
    const result = await props.remove(op.id);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    props.onDeleted(op);
  };
  return (
    <Dialog open={op !== null} onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{i18n.t('operations.deleteTitle')}</DialogTitle>
          <DialogContent>
            {error && <ErrorBar error={error} />}
            {op && i18n.t('operations.deleteBody', { name: op.displayName, method: op.method, template: op.urlTemplate })}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={close}>
              {i18n.t('common.cancel')}
            </Button>
            <Button appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void confirm()}>
              {i18n.t('common.yesDelete')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
