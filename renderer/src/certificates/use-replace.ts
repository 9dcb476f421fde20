/**
 * The Replace dialog's state: the replacement file, the rotation's result, the APIs ticked to switch anyway,
 * and a roll back; each call to the core goes through here.
 */
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { CertificateWithUsage, Rotation, RotationResult } from '../../../preload/contract/model';
import { useCertificateFileForm, type ChosenFile } from './certificate-file-form';
import type { RotationsState } from './use-rotations';

/** What `useReplace` needs from the dialog. */
export interface ReplaceOptions {
  readonly target: CertificateWithUsage;
  readonly rotate: RotationsState['rotate'];
  readonly rollback: RotationsState['rollback'];
  readonly onRotated: (result: RotationResult) => void;
}

/** The replacement's form, the rotation's outcome, and the dialog's actions (submit, switch chosen, roll back). */
export function useReplace(options: ReplaceOptions) {
  const form = useCertificateFileForm();
  const [busy, setBusy] = useState(false);
  // The replacement file as sent the first time, sent again when the operator chooses the APIs to switch.
  const [upload, setUpload] = useState<ChosenFile | null>(null);
  const [result, setResult] = useState<RotationResult | null>(null);
  const [rolledBack, setRolledBack] = useState<Rotation | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const { target } = options;

  const show = (next: RotationResult) => {
    setResult(next);
    setSelected(new Set(next.rotation ? [] : next.preflight.filter((p) => p.ok).map((p) => p.apiId)));
    options.onRotated(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const sent = await form.read();
    if (!sent) return setBusy(false);
    const answer = await options.rotate({ id: target.id, ...sent });
    setBusy(false);
    if (answer.ok) {
      setUpload(sent);
      return show(answer.value);
    }
    form.showFailure(answer.error);
  };

  const switchChosen = async () => {
    if (!result || !upload || busy || selected.size === 0) return;
    setBusy(true);
    setError(null);
    // The replacement is stored already: naming it as the new id makes the core reuse it, not refuse a duplicate.
    const answer = await options.rotate({ id: target.id, newId: result.newCertificate.id, ...upload, apiIds: [...selected] });
    setBusy(false);
    if (answer.ok) show(answer.value);
    else setError(answer.error);
  };

  const rollBack = async () => {
    if (!result?.rotation || busy) return;
    setBusy(true);
    setError(null);
    const answer = await options.rollback(result.rotation.id);
    setBusy(false);
    if (answer.ok) setRolledBack(answer.value);
    else setError(answer.error);
  };

  const toggle = (apiId: string, checked: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (checked) next.add(apiId);
      else next.delete(apiId);
      return next;
    });

  return { form, busy, result, rolledBack, selected, toggle, error, submit, switchChosen, rollBack };
}
