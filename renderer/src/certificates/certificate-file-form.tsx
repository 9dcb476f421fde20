/**
 * The form state the upload and replace dialogs share: the chosen file, its password, and how a refusal is
 * shown (a wrong password at the password field, keeping the dialog and the file; anything else above the
 * fields, in words).
 */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useRef, useState, type ReactNode } from 'react';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { filesToBase64, isValidSelection } from './file-bytes';
import { CertificateFileField, PasswordField } from './file-fields';

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

/** State for one certificate file and its password. */
export function useCertificateFileForm(): CertificateFileForm {
  const i18n = useI18n();
  const passwordInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<readonly File[]>([]);
  const [password, setPassword] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<AppError | null>(null);

  return {
    async read() {
      const problem = files.length === 0 ? 'upload.fileRequired' : isValidSelection(files) ? null : 'upload.mixedFiles';
      if (problem) {
        setFileError(i18n.t(problem));
        return null;
      }
      setRefusal(null);
      setPasswordError(null);
      try {
        return { data: await filesToBase64(files), fileName: files[0]?.name, ...(password !== '' && { password }) };
      } catch {
        setFileError(i18n.t('upload.readFailed'));
        return null;
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
          {refusal && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>
                <MessageBarTitle>{i18n.t('upload.refused')}</MessageBarTitle>
                {errorText(i18n, refusal)}
              </MessageBarBody>
            </MessageBar>
          )}
          <CertificateFileField
            label={fileLabel}
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
        </>
      );
    },
  };
}
