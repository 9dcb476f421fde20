/** A certificate's export from the details dialog: the private-key file (a new password, twice) and the public certificate. */
import { useState } from 'react';
import type { AppError } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { downloadBase64 } from '../export/download';

/** The private-key file's format. */
export type KeyExportFormat = 'pfx' | 'pem';

/** What the export part of the dialog shows and does. */
export interface CertificateExport {
  readonly format: KeyExportFormat;
  readonly password: string;
  readonly again: string;
  readonly busy: boolean;
  readonly error: AppError | null;
  /** Why the form cannot be sent yet: 'required' (PFX without a password), 'mismatch', or null. */
  readonly problem: 'required' | 'mismatch' | null;
  setFormat(value: KeyExportFormat): void;
  setPassword(value: string): void;
  setAgain(value: string): void;
  /** Export with the private key; resolves with the downloaded file's name, or null. */
  exportKey(): Promise<string | null>;
  /** Download the public certificate: .cer (DER leaf) or .pem (the chain). */
  exportPublic(format: 'cer' | 'pem'): Promise<string | null>;
}

/** Export state for certificate `id`; each file is offered for download as it arrives. */
export function useCertificateExport(id: string): CertificateExport {
  const client = useClient();
  const [format, setFormat] = useState<KeyExportFormat>('pfx');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const problem = password !== again ? 'mismatch' : format === 'pfx' && password === '' ? 'required' : null;

  const run = async (input: { format: 'pfx' | 'pem' | 'cer'; includePrivateKey: boolean; password?: string }): Promise<string | null> => {
    setBusy(true);
    setError(null);
    const result = await client.call('certificates.export', { id, ...input });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    downloadBase64(result.value.fileName, result.value.data, result.value.mediaType);
    return result.value.fileName;
  };

  return {
    format,
    password,
    again,
    busy,
    error,
    problem,
    setFormat,
    setPassword,
    setAgain,
    exportKey: () => (problem ? Promise.resolve(null) : run({ format, includePrivateKey: true, ...(password !== '' ? { password } : {}) })),
    exportPublic: (publicFormat) => run({ format: publicFormat, includePrivateKey: false }),
  };
}
