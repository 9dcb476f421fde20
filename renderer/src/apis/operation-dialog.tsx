/**
 * "Add operation" and "Edit operation": display name, method (or any), URL template and description. The core's
 * refusals show at their field: another operation with the same method and template, a template it cannot match.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Select,
  Spinner,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { ApiOperation } from '../../../preload/contract/model';
import type { AppError, Result } from '../../../preload/contract/result';
import { useI18n, type I18n } from '../../i18n';
import { errorText } from '../error-text';
import { ErrorBar } from '../shell/feedback';
import { fieldOf } from './field-error';
import type { OperationFields } from './use-operations';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', '*'] as const;
const FIELDS = ['displayName', 'method', 'urlTemplate', 'description'] as const;

function refusalText(i18n: I18n, error: AppError): string {
  const existingId = (error.details as { existingId?: unknown } | undefined)?.existingId;
  if (error.code === 'duplicate' && typeof existingId === 'string') return i18n.t('operations.duplicate', { id: existingId });
  return errorText(i18n, error);
}

/** The dialog; `operation` set: edit it, else add one. Its form starts fresh each time it opens. */
export function OperationDialog(props: {
  readonly open: boolean;
  readonly operation: ApiOperation | null;
  readonly submit: (fields: OperationFields) => Promise<Result<ApiOperation>>;
  readonly onClose: () => void;
  readonly onDone: (operation: ApiOperation) => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <OperationForm {...props} />}</DialogSurface>
    </Dialog>
  );
}

function useOperationForm(operation: ApiOperation | null, submit: (fields: OperationFields) => Promise<Result<ApiOperation>>, onDone: (op: ApiOperation) => void) {
  const [fields, setFields] = useState<OperationFields>({
    displayName: operation?.displayName ?? '',
    method: operation?.method ?? 'GET',
    urlTemplate: operation?.urlTemplate ?? '/',
    description: operation?.description ?? '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const set = (name: keyof OperationFields, value: string) => setFields((f) => ({ ...f, [name]: value }));
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await submit({ ...fields, displayName: fields.displayName.trim(), urlTemplate: fields.urlTemplate.trim() });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };
  return { fields, set, busy, error, send };
}

function OperationForm(props: {
  readonly operation: ApiOperation | null;
  readonly submit: (fields: OperationFields) => Promise<Result<ApiOperation>>;
  readonly onClose: () => void;
  readonly onDone: (operation: ApiOperation) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useOperationForm(props.operation, props.submit, props.onDone);
  const { fields, error } = form;
  const bad = fieldOf(error);
  const at = (name: (typeof FIELDS)[number]) =>
    error && bad === name ? { validationState: 'error' as const, validationMessage: refusalText(i18n, error) } : {};

  return (
    <form onSubmit={(e) => void form.send(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t(props.operation ? 'operations.editTitle' : 'operations.add')}</DialogTitle>
        <DialogContent className={styles.content}>
          {error && !FIELDS.some((f) => f === bad) && <ErrorBar error={error} />}
          <Field label={i18n.t('operations.displayName')} required {...at('displayName')}>
            <Input value={fields.displayName} onChange={(_, d) => form.set('displayName', d.value)} />
          </Field>
          <Field label={i18n.t('operations.method')} hint={i18n.t('operations.methodHint')} {...at('method')}>
            <Select value={fields.method} onChange={(_, d) => form.set('method', d.value)}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {m === '*' ? i18n.t('operations.anyMethod') : m}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={i18n.t('operations.urlTemplate')} hint={i18n.t('operations.urlTemplateHint')} required {...at('urlTemplate')}>
            <Input className={styles.mono} value={fields.urlTemplate} onChange={(_, d) => form.set('urlTemplate', d.value)} />
          </Field>
          <Field label={i18n.t('apis.description')} {...at('description')}>
            <Textarea value={fields.description ?? ''} onChange={(_, d) => form.set('description', d.value)} resize="vertical" />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={form.busy} icon={form.busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t(props.operation ? 'common.save' : 'apis.create')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
