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
  mergeClasses,
  shorthands,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { EyeOffRegular, EyeRegular } from '@fluentui/react-icons';
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { AppError, Certificate } from '../../../preload/contract';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { filesToBase64, isValidSelection } from './file-bytes';
import type { CertificatesState } from './use-certificates';

const ACCEPT = '.pfx,.p12,.pem,.crt,.cer,.key';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  dropZone: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalL,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  dragging: { ...shorthands.borderColor(tokens.colorBrandStroke1), backgroundColor: tokens.colorBrandBackground2 },
  hiddenInput: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  chosen: { flexBasis: '100%', wordBreak: 'break-all' },
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
  const fileInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<readonly File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [id, setId] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<AppError | null>(null);

  const choose = (list: FileList | null) => {
    const chosen = list ? Array.from(list) : [];
    if (chosen.length === 0) return;
    setFiles(chosen);
    setFileError(isValidSelection(chosen) ? null : i18n.t('upload.mixedFiles'));
    setRefusal(null);
    setPasswordError(null);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files);
  };

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

  const size = new Intl.NumberFormat(i18n.locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 }).format(
    files.reduce((n, f) => n + f.size, 0) / 1024,
  );
  const chosenText =
    files.length === 0 ? i18n.t('upload.noFile') : i18n.t('upload.chosen', { names: files.map((f) => f.name).join(', '), size });

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
          <Field
            label={i18n.t('upload.file')}
            hint={i18n.t('upload.fileHint')}
            required
            validationState={fileError ? 'error' : 'none'}
            validationMessage={fileError ?? undefined}
          >
            {(fieldProps) => (
              <div
                className={mergeClasses(styles.dropZone, dragging && styles.dragging)}
                onDragEnter={(e) => {
                  e.preventDefault();
                  setDragging(true);
                }}
                onDragOver={(e) => e.preventDefault()}
                onDragLeave={() => setDragging(false)}
                onDrop={onDrop}
                data-testid="upload-drop-zone"
              >
                <input
                  {...fieldProps}
                  ref={fileInput}
                  className={styles.hiddenInput}
                  type="file"
                  accept={ACCEPT}
                  multiple
                  tabIndex={-1}
                  onChange={(e) => choose(e.currentTarget.files)}
                />
                <Button onClick={() => fileInput.current?.click()} aria-describedby="upload-chosen">
                  {i18n.t('upload.choose')}
                </Button>
                <Text>{i18n.t('upload.drop')}</Text>
                <Text id="upload-chosen" className={styles.chosen} aria-live="polite">
                  {chosenText}
                </Text>
              </div>
            )}
          </Field>
          <Field
            label={i18n.t('upload.password')}
            hint={i18n.t('upload.passwordHint')}
            validationState={passwordError ? 'error' : 'none'}
            validationMessage={passwordError ?? undefined}
          >
            <Input
              ref={passwordInput}
              type={showPassword ? 'text' : 'password'}
              autoComplete="off"
              value={password}
              onChange={(_, data) => {
                setPassword(data.value);
                setPasswordError(null);
              }}
              contentAfter={
                <Button
                  appearance="transparent"
                  size="small"
                  icon={showPassword ? <EyeOffRegular /> : <EyeRegular />}
                  aria-label={showPassword ? i18n.t('upload.hidePassword') : i18n.t('upload.showPassword')}
                  aria-pressed={showPassword}
                  onClick={() => setShowPassword((s) => !s)}
                />
              }
            />
          </Field>
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
