/**
 * The pieces of a certificate upload that the upload and replace dialogs share: the file field (picker or
 * drag and drop, with what was chosen) and the password field (show/hide).
 */
import { Button, Field, Input, makeStyles, mergeClasses, shorthands, Text, tokens, useId } from '@fluentui/react-components';
import { EyeOffRegular, EyeRegular } from '@fluentui/react-icons';
import { useRef, useState, type DragEvent, type Ref } from 'react';
import { useI18n } from '../../i18n';
import { isValidSelection } from './file-bytes';

const ACCEPT = '.pfx,.p12,.pem,.crt,.cer,.key';

const useStyles = makeStyles({
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

/** What a file selection means for the form: the files, or the message to show at the field. */
export interface FileChoice {
  readonly files: readonly File[];
  readonly error: string | null;
}

/** The certificate file field; `onChoose` gets the new selection with its validity already checked. */
export function CertificateFileField(props: {
  readonly label: string;
  readonly files: readonly File[];
  readonly error: string | null;
  readonly onChoose: (choice: FileChoice) => void;
  /** The "Choose a file" button, focused when the file needs attention. */
  readonly buttonRef?: Ref<HTMLButtonElement>;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const fileInput = useRef<HTMLInputElement>(null);
  const chosenId = useId('chosen-file');
  const [dragging, setDragging] = useState(false);

  const choose = (list: FileList | null) => {
    const chosen = list ? Array.from(list) : [];
    if (chosen.length === 0) return;
    props.onChoose({ files: chosen, error: isValidSelection(chosen) ? null : i18n.t('upload.mixedFiles') });
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files);
  };

  const size = new Intl.NumberFormat(i18n.locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 }).format(
    props.files.reduce((n, f) => n + f.size, 0) / 1024,
  );
  const chosenText =
    props.files.length === 0 ? i18n.t('upload.noFile') : i18n.t('upload.chosen', { names: props.files.map((f) => f.name).join(', '), size });

  return (
    <Field
      label={props.label}
      hint={i18n.t('upload.fileHint')}
      required
      validationState={props.error ? 'error' : 'none'}
      validationMessage={props.error ?? undefined}
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
          <Button ref={props.buttonRef} onClick={() => fileInput.current?.click()} aria-describedby={chosenId}>
            {i18n.t('upload.choose')}
          </Button>
          <Text>{i18n.t('upload.drop')}</Text>
          <Text id={chosenId} className={styles.chosen} aria-live="polite">
            {chosenText}
          </Text>
        </div>
      )}
    </Field>
  );
}

/** The file's password, with a show/hide button; a wrong password is shown here. */
export function PasswordField(props: {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | null;
  readonly inputRef?: Ref<HTMLInputElement>;
}) {
  const i18n = useI18n();
  const [show, setShow] = useState(false);
  return (
    <Field
      label={i18n.t('upload.password')}
      hint={i18n.t('upload.passwordHint')}
      validationState={props.error ? 'error' : 'none'}
      validationMessage={props.error ?? undefined}
    >
      <Input
        ref={props.inputRef}
        type={show ? 'text' : 'password'}
        autoComplete="off"
        value={props.value}
        onChange={(_, data) => props.onChange(data.value)}
        contentAfter={
          <Button
            appearance="transparent"
            size="small"
            icon={show ? <EyeOffRegular /> : <EyeRegular />}
            aria-label={show ? i18n.t('upload.hidePassword') : i18n.t('upload.showPassword')}
            aria-pressed={show}
            onClick={() => setShow((s) => !s)}
          />
        }
      />
    </Field>
  );
}
