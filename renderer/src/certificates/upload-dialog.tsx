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
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { AppError, Certificate } from '../../../preload/contract';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { filesToBase64, isValidSelection } from './file-bytes';
import { CertificateFileField, PasswordField } from './file-fields';
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
  const passwordInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<readonly File[]>([]);
  const [password, setPassword] = useState('');
  const [id, setId] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<AppError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (files.length === 0) return setFileError(i18n.t('upload.fileRequired'));
    if (!isValidSelection(files)) return setFileError(i18n.t('upload.mixedFiles'));
    setBusy(true);
    setRefusal(null);
    setPasswordError(null);
    let data: string;
    try {
      data = await filesToBase64(files);
    } catch {
      setBusy(false);
      return setFileError(i18n.t('upload.readFailed'));
    }
    const result = await props.upload({
      data,
      fileName: files[0]?.name,
      ...(password !== '' && { password }),
      ...(id.trim() !== '' && { id: id.trim() }),
      ...(replace && id.trim() !== '' && { replace: true }),
    });
    setBusy(false);
    if (result.ok) return props.onUploaded(result.value.certificate, result.value.created);
    if (result.error.code === 'bad-password') {
      setPasswordError(errorText(i18n, result.error));
      passwordInput.current?.focus();
      passwordInput.current?.select();
      return;
    }
    setRefusal(result.error);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('upload.title')}</DialogTitle>
        <DialogContent className={styles.content}>
          {refusal && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>
                <MessageBarTitle>{i18n.t('upload.refused')}</MessageBarTitle>
                {errorText(i18n, refusal)}
              </MessageBarBody>
            </MessageBar>
          )}
          <CertificateFileField
            label={i18n.t('upload.file')}
            files={files}
            error={fileError}
            onChoose={(choice) => {
              setFiles(choice.files);
              setFileError(choice.error);
              setRefusal(null);
              setPasswordError(null);
            }}
          />
          <PasswordField
            value={password}
            inputRef={passwordInput}
            error={passwordError}
            onChange={(value) => {
              setPassword(value);
              setPasswordError(null);
            }}
          />
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
