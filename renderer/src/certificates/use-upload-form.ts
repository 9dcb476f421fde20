/**
 * The upload dialog's state: the file form, the optional id and replace choice, the parse call (estimate,
 * cancel), a `duplicate` refusal turned into the certificate it names (with Replace right there), and the
 * "inspect before upload" preview.
 */
import { useState, type FormEvent } from 'react';
import type { Certificate, CertificateInfo } from '../../../preload/contract/model';
import { useClient } from '../client-context';
import { useCertificateFileForm, type CertificateFileForm, type ChosenFile } from './certificate-file-form';
import { duplicateOf, type DuplicateOf } from './duplicate';
import type { CertificatesState } from './use-certificates';
import { useParseCall, type ParseCall } from './use-parse-call';

/** Everything the upload dialog renders and does. */
export interface UploadForm {
  readonly file: CertificateFileForm;
  readonly parse: ParseCall;
  readonly id: string;
  readonly replace: boolean;
  readonly duplicate: DuplicateOf | null;
  readonly inspection: CertificateInfo | null;
  /** An upload (not an inspection) is running: the submit button says "Uploading…". */
  readonly uploading: boolean;
  setId(value: string): void;
  setReplace(value: boolean): void;
  submit(event: FormEvent): void;
  /** Upload again, replacing the certificate the duplicate refusal named. */
  replaceDuplicate(): void;
  inspect(): void;
}

/** State for one opening of the upload dialog. */
export function useUploadForm(props: {
  readonly upload: CertificatesState['upload'];
  readonly onUploaded: (certificate: Certificate, created: boolean) => void;
}): UploadForm {
  const client = useClient();
  const parse = useParseCall();
  const [id, setId] = useState('');
  const [replace, setReplace] = useState(false);
  const [duplicate, setDuplicate] = useState<DuplicateOf | null>(null);
  const [inspection, setInspection] = useState<CertificateInfo | null>(null);
  const [uploading, setUploading] = useState(false);
  const file = useCertificateFileForm({
    onChange: () => {
      setDuplicate(null);
      setInspection(null);
    },
  });

  const send = async (target: { readonly id?: string; readonly replace?: boolean }) => {
    if (parse.progress.running) return;
    const chosen = await file.read();
    if (!chosen) return;
    setDuplicate(null);
    setUploading(true);
    const result = await parse.run(chosen.data, (options) => props.upload({ ...chosen, ...target }, options));
    setUploading(false);
    if (!result) return;
    if (result.ok) return props.onUploaded(result.value.certificate, result.value.created);
    const duplicated = duplicateOf(result.error);
    if (duplicated) setDuplicate(duplicated);
    else file.showFailure(result.error);
  };

  const typedId = id.trim();
  return {
    file,
    parse,
    id,
    replace,
    duplicate,
    inspection,
    uploading: uploading && parse.progress.running,
    setId,
    setReplace,
    submit(event) {
      event.preventDefault();
      void send(typedId === '' ? {} : { id: typedId, ...(replace && { replace: true }) });
    },
    replaceDuplicate() {
      if (duplicate) void send({ id: duplicate.existingId, replace: true });
    },
    inspect() {
      void (async () => {
        if (parse.progress.running) return;
        const chosen: ChosenFile | null = await file.read();
        if (!chosen) return;
        const result = await parse.run(chosen.data, (options) => client.call('certificates.inspect', chosen, options));
        if (!result) return;
        if (result.ok) setInspection(result.value);
        else file.showFailure(result.error);
      })();
    },
  };
}
