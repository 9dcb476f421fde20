/**
 * "Upload certificate": a file (picker or drag and drop), its password (show/hide), an optional id. A wrong
 * password is shown at the password field and keeps the dialog and the chosen file; other refusals say what
 * is wrong with the file.
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
import { useState, type FormEvent } from 'react';
import type { Certificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useCertificateFileForm } from './certificate-file-form';
import type { CertificatesState } from './use-certificates';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** The dialog; its form state starts fresh each time it opens. */
export function UploadDialog(props: {
  readonly open: boolean;
  readonly upload: CertificatesState['upload'];
  readonly onClose: () => void;
  readonly onUploaded: (certificate: Certificate, created: boolean) => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <UploadForm upload={props.upload} onClose={props.onClose} onUploaded={props.onUploaded} />}</DialogSurface>
    </Dialog>
  );
}

function UploadForm(props: {
  readonly upload: CertificatesState['upload'];
  readonly onClose: () => void;
  readonly onUploaded: (certificate: Certificate, created: boolean) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useCertificateFileForm();
  const [id, setId] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const chosen = await form.read();
    if (!chosen) return setBusy(false);
    const result = await props.upload({
      ...chosen,
      ...(id.trim() !== '' && { id: id.trim() }),
      ...(replace && id.trim() !== '' && { replace: true }),
    });
    setBusy(false);
    if (result.ok) return props.onUploaded(result.value.certificate, result.value.created);
    form.showFailure(result.error);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('upload.title')}</DialogTitle>
        <DialogContent className={styles.content}>
          {form.fields(i18n.t('upload.file'))}
          <Field label={i18n.t('upload.id')} hint={i18n.t('upload.idHint')}>
            <Input value={id} onChange={(_, data) => setId(data.value)} autoComplete="off" />
          </Field>
          {id.trim() !== '' && (
            <Checkbox checked={replace} onChange={(_, data) => setReplace(data.checked === true)} label={i18n.t('upload.replace')} />
          )}
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t('upload.submit')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
