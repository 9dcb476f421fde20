/**
 * The form state the upload and replace dialogs share: the chosen file, its password, and how a refusal is
 * shown (a wrong password at the password field, keeping the dialog and the file; anything else above the
 * fields, in words). Focus goes where the operator must look: the password field, the refusal (which can
 * be read and left with Tab or Escape), or the file button when the file is missing or unreadable; it never
 * falls to the page behind the dialog.
 */
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { filesToBase64, isValidSelection } from './file-bytes';
import { CertificateFileField, PasswordField } from './file-fields';

const useStyles = makeStyles({ refusal: { outlineStyle: 'none' } });

/** The chosen file as it is sent to the core. */
export interface ChosenFile {
  readonly data: string;
  readonly fileName?: string;
  readonly password?: string;
}

/** A certificate file form's state and its fields. */
export interface CertificateFileForm {
  /** Check the selection and read it; null when the field now shows why it cannot be sent. */
  read(): Promise<ChosenFile | null>;
  /** Show a refusal from the core where it belongs. */
  showFailure(error: AppError): void;
  /** The refusal message, the file field and the password field. */
  fields(fileLabel: string): ReactNode;
}

/** Why the core refused the file, focusable so it can be read and left with Tab or Escape. */
function RefusalBar(props: { readonly refusal: AppError; readonly boxRef: RefObject<HTMLDivElement | null> }) {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <div ref={props.boxRef} tabIndex={-1} className={styles.refusal} data-testid="upload-refusal">
      <MessageBar intent="error" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t('upload.refused')}</MessageBarTitle>
          {errorText(i18n, props.refusal)}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

/** State for one certificate file and its password; `onChange` runs when the file or password changes. */
export function useCertificateFileForm(options: { readonly onChange?: () => void } = {}): CertificateFileForm {
  const i18n = useI18n();
  const passwordInput = useRef<HTMLInputElement>(null);
  const fileButton = useRef<HTMLButtonElement>(null);
  const refusalBox = useRef<HTMLDivElement>(null);
  const [files, setFiles] = useState<readonly File[]>([]);
  const [password, setPassword] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<AppError | null>(null);

  useEffect(() => {
    if (refusal) refusalBox.current?.focus();
  }, [refusal]);

  const fileProblem = (message: string) => {
    setFileError(message);
    fileButton.current?.focus();
    return null;
  };

  return {
    async read() {
      if (files.length === 0) return fileProblem(i18n.t('upload.fileRequired'));
      if (!isValidSelection(files)) return fileProblem(i18n.t('upload.mixedFiles'));
      setRefusal(null);
      setPasswordError(null);
      try {
        return { data: await filesToBase64(files), fileName: files[0]?.name, ...(password !== '' && { password }) };
      } catch {
        return fileProblem(i18n.t('upload.readFailed'));
      }
    },
    showFailure(error) {
      if (error.code === 'bad-password') {
        setPasswordError(errorText(i18n, error));
        passwordInput.current?.focus();
        passwordInput.current?.select();
        return;
      }
      setRefusal(error);
    },
    fields(fileLabel) {
      return (
        <>
          {refusal && <RefusalBar refusal={refusal} boxRef={refusalBox} />}
          <CertificateFileField
            label={fileLabel}
            files={files}
            error={fileError}
            buttonRef={fileButton}
            onChoose={(choice) => {
              setFiles(choice.files);
              setFileError(choice.error);
              setRefusal(null);
              setPasswordError(null);
              options.onChange?.();
            }}
          />
          <PasswordField
            value={password}
            inputRef={passwordInput}
            error={passwordError}
            onChange={(value) => {
              setPassword(value);
              setPasswordError(null);
              options.onChange?.();
            }}
          />
        </>
      );
    },
  };
}
