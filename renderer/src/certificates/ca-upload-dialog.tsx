/** "Upload CA certificate": paste PEM text or choose a .pem/.crt file. */
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
  Spinner,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { CaCertificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { fileToText } from './file-bytes';
import type { CaCertificatesState } from './use-ca-certificates';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  pem: { fontFamily: tokens.fontFamilyMonospace },
  hiddenInput: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)' },
});

/** The dialog; its form starts fresh each time it opens. */
export function CaUploadDialog(props: {
  readonly open: boolean;
  readonly upload: CaCertificatesState['upload'];
  readonly onClose: () => void;
  readonly onUploaded: (certificate: CaCertificate) => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <CaUploadForm {...props} />}</DialogSurface>
    </Dialog>
  );
}

function CaUploadForm(props: {
  readonly upload: CaCertificatesState['upload'];
  readonly onClose: () => void;
  readonly onUploaded: (certificate: CaCertificate) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pem, setPem] = useState('');
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || pem.trim() === '') return;
    setBusy(true);
    const result = await props.upload({ pem, ...(id.trim() !== '' && { id: id.trim() }) });
    setBusy(false);
    if (result.ok) props.onUploaded(result.value);
    else setError(result.error);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('ca.upload')}</DialogTitle>
        <DialogContent className={styles.content}>
          <Field
            label={i18n.t('ca.pem')}
            hint={i18n.t('ca.pemHint')}
            required
            validationState={error ? 'error' : 'none'}
            validationMessage={error ? errorText(i18n, error) : undefined}
          >
            <Textarea className={styles.pem} rows={8} value={pem} onChange={(_, data) => setPem(data.value)} resize="vertical" />
          </Field>
          <div>
            <input
              ref={fileInput}
              className={styles.hiddenInput}
              type="file"
              accept=".pem,.crt,.cer"
              tabIndex={-1}
              aria-label={i18n.t('ca.chooseFile')}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void fileToText(file).then(setPem);
              }}
            />
            <Button onClick={() => fileInput.current?.click()}>{i18n.t('ca.chooseFile')}</Button>
          </div>
          <Field label={i18n.t('ca.id')}>
            <Input value={id} onChange={(_, data) => setId(data.value)} autoComplete="off" />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={busy || pem.trim() === ''} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t(busy ? 'upload.uploading' : 'upload.submit')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
