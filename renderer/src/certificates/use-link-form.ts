/** The "Link a file" form: path (typed, or from the desktop's file dialog), id, password, replace. */
import { useState, type FormEvent } from 'react';
import type { Certificate } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { LinksState } from './use-links';

/** What the form shows and does. */
export interface LinkForm {
  readonly file: string;
  readonly id: string;
  readonly password: string;
  readonly replace: boolean;
  readonly busy: boolean;
  readonly error: AppError | null;
  setFile(value: string): void;
  setId(value: string): void;
  setPassword(value: string): void;
  setReplace(value: boolean): void;
  /** Open the native file dialog (desktop) and take its path; the id follows the file name while empty. */
  browse(): Promise<void>;
  submit(event: FormEvent): Promise<void>;
}

/** An id from a file name: "client.pfx" → "client". */
export function idFromFile(file: string): string {
  const name = file.split(/[/\\]/).pop() ?? '';
  return name.replace(/\.(pfx|p12|pem|crt|cer|key)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80);
}

/** Form state for linking; `onLinked` runs after the core accepted the link. */
export function useLinkForm(links: LinksState, onLinked: (certificate: Certificate) => void): LinkForm {
  const [file, setFileValue] = useState('');
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const setFile = (value: string) => {
    setFileValue(value);
    setError(null);
  };
  return {
    file,
    id,
    password,
    replace,
    busy,
    error,
    setFile,
    setId,
    setPassword,
    setReplace,
    async browse() {
      const picked = await links.pick();
      if (!picked.ok) return setError(picked.error);
      if (picked.value.path === null) return;
      setFile(picked.value.path);
      if (id === '') setId(idFromFile(picked.value.path));
    },
    async submit(event) {
      event.preventDefault();
      setBusy(true);
      setError(null);
      const result = await links.link({ id: id.trim() || idFromFile(file), file: file.trim(), ...(password !== '' ? { password } : {}), replace });
      setBusy(false);
      if (!result.ok) return setError(result.error);
      onLinked(result.value.certificate);
    },
  };
}
