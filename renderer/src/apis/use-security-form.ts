/** The Security form's state: the fields as edited, whether they differ from what is saved, and Save. */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { Api, BackendTls, CertificateWithUsage, Security } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { SecurityInput } from '../../../preload/contract/schemas';
import { useExpiryGuard } from '../certificates/expiry-guard';
import type { SecurityState } from './use-security';

/** One of "With credentials". */
export type CredentialType = Security['type'];

/** The field a refused Save points at. */
export type InvalidField = 'certificate' | 'username' | 'password';

/** What the last save said. */
export interface Saved {
  readonly certificateName: string | null;
}

/** The form as edited, and what changes it. */
export interface SecurityFormState {
  readonly type: CredentialType;
  readonly certificateId: string | null;
  readonly username: string;
  readonly password: string;
  readonly tls: BackendTls;
  readonly busy: boolean;
  readonly error: AppError | null;
  readonly invalid: InvalidField | null;
  /** True when Save would change something (the marker "Unsaved changes"). */
  readonly dirty: boolean;
  /** The API keeps its stored password when Basic is saved again with the password left empty. */
  readonly passwordStored: boolean;
  /** The certificate to diagnose with: the one selected here when it is not the saved one; else null (as saved). */
  readonly diagnoseWith: string | null;
  /** The warning before saving an expired or soon-expiring certificate, while it waits for "Save anyway". */
  readonly expiryWarning: ReactNode;
  setType(type: CredentialType): void;
  setCertificateId(id: string): void;
  setUsername(username: string): void;
  setPassword(password: string): void;
  updateTls(change: (tls: BackendTls) => BackendTls): void;
  submit(event: FormEvent): Promise<void>;
}

function sameTls(a: BackendTls, b: BackendTls): boolean {
  return (
    a.validateCertificateChain === b.validateCertificateChain &&
    a.validateCertificateName === b.validateCertificateName &&
    a.trustedCaCertificateIds.length === b.trustedCaCertificateIds.length &&
    a.trustedCaCertificateIds.every((id) => b.trustedCaCertificateIds.includes(id))
  );
}

/** The Save input for the fields, or the field that is missing. */
function inputOf(form: Pick<SecurityFormState, 'type' | 'certificateId' | 'username' | 'password' | 'passwordStored'>): SecurityInput | InvalidField {
  if (form.type === 'certificate') return form.certificateId ? { type: 'certificate', certificateId: form.certificateId } : 'certificate';
  if (form.type === 'basic') {
    if (form.username.trim() === '') return 'username';
    if (form.password === '' && !form.passwordStored) return 'password';
    return { type: 'basic', username: form.username.trim(), ...(form.password !== '' && { password: form.password }) };
  }
  return { type: 'none' };
}

/** The Security form of an API, starting from what is saved (`initial` and the API's TLS options). */
export function useSecurityForm(props: {
  readonly api: Api;
  readonly initial: Security;
  readonly certificates: readonly CertificateWithUsage[];
  readonly save: SecurityState['save'];
  readonly onSaved: (saved: Saved | null) => void;
}): SecurityFormState {
  const { initial } = props;
  const savedCertificateId = initial.type === 'certificate' ? initial.certificateId : null;
  const savedUsername = initial.type === 'basic' ? initial.username : '';
  const [type, setType] = useState<CredentialType>(initial.type);
  const [certificateId, setCertificateId] = useState<string | null>(savedCertificateId);
  const [username, setUsername] = useState(savedUsername);
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<BackendTls>(props.api.backendTls);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [invalid, setInvalid] = useState<InvalidField | null>(null);
  const now = useMemo(() => Date.now(), []);
  const expiryGuard = useExpiryGuard(props.certificates, now);
  const passwordStored = initial.type === 'basic';
  const credentialChanged =
    type !== initial.type ||
    (type === 'certificate' && certificateId !== savedCertificateId) ||
    (type === 'basic' && (username !== savedUsername || password !== ''));
  const dirty = credentialChanged || !sameTls(tls, props.api.backendTls);
  const diagnoseWith = type === 'certificate' && certificateId !== null && certificateId !== savedCertificateId ? certificateId : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const input = inputOf({ type, certificateId, username, password, passwordStored });
    if (typeof input === 'string') return setInvalid(input);
    setInvalid(null);
    // An expired certificate, or one expiring soon, is saved only when the operator goes on deliberately.
    if (input.type === 'certificate' && !expiryGuard.allows(input.certificateId, () => void saveNow(input))) return;
    await saveNow(input);
  };

  const saveNow = async (input: SecurityInput) => {
    setBusy(true);
    setError(null);
    props.onSaved(null);
    const failure = await props.save(input, tls);
    setBusy(false);
    if (failure) return setError(failure);
    const certificate = input.type === 'certificate' ? props.certificates.find((c) => c.id === input.certificateId) : undefined;
    props.onSaved({ certificateName: certificate ? certificate.commonName || certificate.subject : null });
  };

  return {
    type,
    certificateId,
    username,
    password,
    tls,
    busy,
    error,
    invalid,
    dirty,
    passwordStored,
    diagnoseWith,
    expiryWarning: expiryGuard.warning,
    setType: (t) => {
      setType(t);
      setInvalid(null);
    },
    setCertificateId: (id) => {
      setCertificateId(id);
      expiryGuard.reset();
    },
    setUsername,
    setPassword,
    updateTls: setTls,
    submit,
  };
}
