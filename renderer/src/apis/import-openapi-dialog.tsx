/**
 * "Import OpenAPI": a description from a file or pasted (JSON or YAML), the URL suffix, optionally the API id and
 * a service URL in place of the document's first server; "Preview" asks the core what it would create, update
 * and remove (nothing stored), "Import" does it. Refusals (invalid document, external $ref, too large) are shown
 * at their field, and nothing is stored.
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
  Radio,
  RadioGroup,
  Spinner,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { OpenApiImportResult } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import { useI18n, type I18n } from '../../i18n';
import { errorText } from '../error-text';
import { ErrorBar } from '../shell/feedback';
import { fieldOf } from './field-error';
import { ImportPreview } from './import-preview';
import { useOpenApiImport, type OpenApiImportForm } from './use-openapi-import';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  pasted: { fontFamily: tokens.fontFamilyMonospace, minHeight: '10rem' },
});

/** Where a refusal shows: the document, the URL suffix, the id or the service URL (else above the form). */
const FIELDS = ['value', 'path', 'id', 'serviceUrl'] as const;
type FormField = (typeof FIELDS)[number];

function refusalText(i18n: I18n, error: AppError): string {
  const existingId = (error.details as { existingId?: unknown } | undefined)?.existingId;
  if (error.code === 'duplicate' && fieldOf(error) === 'path' && typeof existingId === 'string') return i18n.t('openapi.pathTaken', { id: existingId });
  if (error.code === 'too-large' || (fieldOf(error) === 'value' && /32 MiB/.test(error.message))) return i18n.t('openapi.tooLarge');
  return errorText(i18n, error);
}

/** Where the refusal belongs: a named field, else the document (the core's refusals of its content name none). */
function placeOf(error: AppError | null): FormField | null {
  if (!error) return null;
  const field = fieldOf(error);
  if (FIELDS.some((f) => f === field)) return field as FormField;
  return error.code === 'validation' || error.code === 'too-large' ? 'value' : null;
}

function DocumentFields(props: { readonly form: OpenApiImportForm; readonly problem: string | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { form } = props;
  const local = form.fileProblem && i18n.t(form.fileProblem === 'too-large' ? 'openapi.tooLarge' : 'openapi.unreadable');
  const message = local ?? props.problem;
  const state = message ? { validationState: 'error' as const, validationMessage: message } : {};
  return (
    <>
      <Field label={i18n.t('openapi.source')}>
        <RadioGroup layout="horizontal" value={form.fields.source} onChange={(_, d) => form.set('source', d.value)}>
          <Radio value="file" label={i18n.t('openapi.fromFile')} />
          <Radio value="paste" label={i18n.t('openapi.fromText')} />
        </RadioGroup>
      </Field>
      {form.fields.source === 'file' ? (
        <Field label={i18n.t('openapi.file')} hint={i18n.t('openapi.fileHint')} required {...state}>
          {(fieldProps) => (
            <input {...fieldProps} type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" onChange={(e) => void form.choose(e.currentTarget.files?.[0])} />
          )}
        </Field>
      ) : (
        <Field label={i18n.t('openapi.text')} hint={i18n.t('openapi.fileHint')} required {...state}>
          <Textarea className={styles.pasted} value={form.fields.pasted} onChange={(_, d) => form.set('pasted', d.value)} resize="vertical" />
        </Field>
      )}
    </>
  );
}

function TargetFields(props: { readonly form: OpenApiImportForm; readonly at: (field: FormField) => object }) {
  const i18n = useI18n();
  const { form, at } = props;
  return (
    <>
      <Field label={i18n.t('apis.path')} hint={i18n.t('openapi.pathHint')} {...at('path')}>
        <Input value={form.fields.path} onChange={(_, d) => form.set('path', d.value)} />
      </Field>
      <Field label={i18n.t('openapi.id')} hint={i18n.t('openapi.idHint')} {...at('id')}>
        <Input value={form.fields.id} onChange={(_, d) => form.set('id', d.value)} />
      </Field>
      <Field label={i18n.t('openapi.serviceUrlOverride')} hint={i18n.t('openapi.serviceUrlHint')} {...at('serviceUrl')}>
        <Input type="url" value={form.fields.serviceUrl} placeholder="https://localhost:9443" onChange={(_, d) => form.set('serviceUrl', d.value)} />
      </Field>
    </>
  );
}

function ImportForm(props: { readonly onClose: () => void; readonly onImported: (result: OpenApiImportResult) => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useOpenApiImport();
  const place = placeOf(form.error);
  const problem = form.error && place ? refusalText(i18n, form.error) : null;
  const at = (field: FormField) => (problem && place === field ? { validationState: 'error' as const, validationMessage: problem } : {});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.busy || form.fileProblem) return;
    const result = await form.call(form.preview !== null);
    if (result?.applied) props.onImported(result);
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('openapi.title')}</DialogTitle>
        <DialogContent className={styles.content}>
          {form.error && place === null && <ErrorBar error={form.error} title={i18n.t('openapi.nothingStored')} />}
          <DocumentFields form={form} problem={place === 'value' ? problem : null} />
          <TargetFields form={form} at={at} />
          {form.preview && <ImportPreview preview={form.preview} />}
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={form.busy || form.text === ''} icon={form.busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t(form.preview ? 'openapi.import' : 'openapi.preview')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** The dialog; its form starts fresh each time it opens. */
export function ImportOpenApiDialog(props: { readonly open: boolean; readonly onClose: () => void; readonly onImported: (result: OpenApiImportResult) => void }) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <ImportForm onClose={props.onClose} onImported={props.onImported} />}</DialogSurface>
    </Dialog>
  );
}
