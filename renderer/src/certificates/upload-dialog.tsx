/**
 * "Upload certificate": a file (picker or drag and drop), its password (show/hide), an optional id. A wrong
 * password is shown at the password field and keeps the dialog and the chosen file; a duplicate names the
 * stored certificate and offers Replace; other refusals say what is wrong with the file. "Inspect" shows
 * what the file holds before anything is stored. A slow file says what it is doing; Cancel stops it.
 */
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { useMemo } from 'react';
import type { Certificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { DuplicateNotice } from './duplicate-notice';
import { InspectionView } from './inspection-view';
import { ParseStatus } from './parse-status';
import type { CertificatesState } from './use-certificates';
import { useUploadForm, type UploadForm } from './use-upload-form';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** What the dialog needs from the page. */
export interface UploadDialogProps {
  readonly open: boolean;
  readonly upload: CertificatesState['upload'];
  readonly onClose: () => void;
  readonly onUploaded: (certificate: Certificate, created: boolean) => void;
  /** Go to a stored certificate (the one an upload duplicates). */
  readonly onShow: (id: string) => void;
}

/** The dialog; its form state starts fresh each time it opens (and closing it cancels a running parse). */
export function UploadDialog(props: UploadDialogProps) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <UploadFormView {...props} />}</DialogSurface>
    </Dialog>
  );
}

function UploadFormView(props: UploadDialogProps) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useUploadForm(props);
  const busy = form.parse.progress.running;
  return (
    <form onSubmit={form.submit} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('upload.title')}</DialogTitle>
        <DialogContent className={styles.content}>
          {form.duplicate && <DuplicateNotice duplicate={form.duplicate} busy={busy} onShow={props.onShow} onReplace={form.replaceDuplicate} />}
          {form.file.fields(i18n.t('upload.file'))}
          <IdFields form={form} />
          <ParseStatus progress={form.parse.progress} />
          {form.inspection && <Inspection form={form} />}
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="secondary" disabledFocusable={busy} onClick={form.inspect}>
            {i18n.t('inspect.button')}
          </Button>
          <Button appearance="primary" type="submit" disabledFocusable={busy} icon={form.uploading ? <Spinner size="tiny" /> : undefined}>
            {i18n.t(form.uploading ? 'upload.uploading' : 'upload.submit')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

function IdFields(props: { readonly form: UploadForm }) {
  const i18n = useI18n();
  const { form } = props;
  return (
    <>
      <Field label={i18n.t('upload.id')} hint={i18n.t('upload.idHint')}>
        <Input value={form.id} onChange={(_, data) => form.setId(data.value)} autoComplete="off" />
      </Field>
      {form.id.trim() !== '' && (
        <Checkbox checked={form.replace} onChange={(_, data) => form.setReplace(data.checked === true)} label={i18n.t('upload.replace')} />
      )}
    </>
  );
}

function Inspection(props: { readonly form: UploadForm }) {
  const now = useMemo(() => Date.now(), [props.form.inspection]);
  return props.form.inspection && <InspectionView info={props.form.inspection} now={now} />;
}
