/**
 * The "Import OpenAPI" form: the document (a file or pasted text, JSON or YAML), the URL suffix, the optional id
 * and service URL; a preview through the core (`apis.import` with `confirm: false`, nothing stored), then the
 * import itself. Any change after a preview drops it: what is confirmed is always what was previewed.
 */
import { useState } from 'react';
import type { OpenApiImportResult } from '../../../preload/contract/model';
import type { OperationInput } from '../../../preload/contract/operations';
import type { AppError } from '../../../preload/contract/result';
import { useClient } from '../client-context';

/** The largest document the core accepts (MAX_OPENAPI_LENGTH): a larger file is refused before it is read. */
export const MAX_OPENAPI_BYTES = 32 * 1024 * 1024;

/** The form's fields. */
export interface ImportFields {
  readonly source: 'file' | 'paste';
  readonly pasted: string;
  readonly path: string;
  readonly id: string;
  readonly serviceUrl: string;
}

/** The document read from the chosen file. */
interface ChosenFile {
  readonly name: string;
  readonly text: string;
}

/** JSON when it opens like JSON, else YAML (which the core also reads JSON as). */
export function formatOf(text: string): 'openapi+json' | 'openapi' {
  return /^\s*[{[]/.test(text) ? 'openapi+json' : 'openapi';
}

/** The state and actions of the form. */
export function useOpenApiImport() {
  const client = useClient();
  const [fields, setFields] = useState<ImportFields>({ source: 'file', pasted: '', path: '', id: '', serviceUrl: '' });
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileProblem, setFileProblem] = useState<'too-large' | 'unreadable' | null>(null);
  const [preview, setPreview] = useState<OpenApiImportResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const text = fields.source === 'file' ? (file?.text ?? '') : fields.pasted;

  const set = (name: keyof ImportFields, value: string) => {
    setFields((f) => ({ ...f, [name]: value }));
    setPreview(null);
    setError(null);
  };
  const choose = async (chosen: File | undefined) => {
    setPreview(null);
    setError(null);
    setFile(null);
    setFileProblem(null);
    if (!chosen) return;
    if (chosen.size > MAX_OPENAPI_BYTES) return setFileProblem('too-large');
    try {
      setFile({ name: chosen.name, text: await chosen.text() });
    } catch {
      setFileProblem('unreadable');
    }
  };
  const call = async (confirm: boolean) => {
    const input: OperationInput<'apis.import'> = {
      format: formatOf(text),
      value: text,
      path: fields.path.trim(),
      confirm,
      ...(fields.id.trim() ? { id: fields.id.trim() } : {}),
      ...(fields.serviceUrl.trim() ? { serviceUrl: fields.serviceUrl.trim() } : {}),
    };
    setBusy(true);
    setError(null);
    const result = await client.call('apis.import', input);
    setBusy(false);
    if (!result.ok) {
      setPreview(null);
      setError(result.error);
      return null;
    }
    if (!confirm) setPreview(result.value);
    return result.value;
  };
  return { fields, set, file, fileProblem, choose, text, preview, error, busy, call };
}

/** What the dialog gets from the hook. */
export type OpenApiImportForm = ReturnType<typeof useOpenApiImport>;
