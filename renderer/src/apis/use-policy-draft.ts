/**
 * The editing state of one policy document: the unsaved draft, saving it, the problem the core reports (line
 * and column), and a change saved elsewhere (the Security tab, the CLI…) while the draft was being edited.
 */
import { useState } from 'react';
import type { PolicyProblem } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { PolicyState } from './use-policy';

/** What the policy panel renders and the actions on it. */
export interface PolicyDraft {
  /** The text to show: the draft, else the saved policy. */
  readonly text: string;
  readonly dirty: boolean;
  readonly busy: boolean;
  readonly error: AppError | null;
  readonly problem: PolicyProblem | null;
  /** Why the stored text does not parse (kept as stored; its API is not served), while no draft or refusal shows. */
  readonly storedProblem: PolicyProblem | null;
  /** Saved just now. */
  readonly done: boolean;
  /** The policy was changed elsewhere while this draft had unsaved edits. */
  readonly stale: boolean;
  change(xml: string): void;
  save(): Promise<void>;
  discard(): void;
}

/** The `validation` details of a refused policy, when they say where the problem is. */
function problemOf(error: AppError): PolicyProblem | null {
  const d = error.details as Partial<PolicyProblem> | undefined;
  if (error.code !== 'validation' || !d || typeof d.line !== 'number' || typeof d.column !== 'number') return null;
  return { message: typeof d.message === 'string' ? d.message : error.message, line: d.line, column: d.column, element: d.element };
}

/** Edit `policy`: a change saved elsewhere shows at once, unless there are unsaved edits here. */
export function usePolicyDraft(policy: PolicyState): PolicyDraft {
  const saved = policy.data?.xml;
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<PolicyProblem | null>(null);
  const [done, setDone] = useState(false);
  const [stale, setStale] = useState(false);
  const [seen, setSeen] = useState(saved);
  const dirty = draft !== null && draft !== saved;

  if (saved !== seen) {
    setSeen(saved);
    if (dirty && seen !== undefined) setStale(true);
    else setDraft(null);
  }

  const save = async () => {
    if (busy || saved === undefined) return;
    setBusy(true);
    setError(null);
    setProblem(null);
    setDone(false);
    const result = await policy.save(draft ?? saved);
    setBusy(false);
    if (result.ok) {
      setDraft(null);
      setStale(false);
      setDone(true);
      return;
    }
    setError(result.error);
    setProblem(problemOf(result.error));
  };
  const change = (xml: string) => {
    setDraft(xml);
    setDone(false);
  };
  const discard = () => {
    setDraft(null);
    setStale(false);
    setProblem(null);
    setError(null);
  };
  const storedProblem = error === null && draft === null ? (policy.data?.problem ?? null) : null;
  return { text: draft ?? saved ?? '', dirty, busy, error, problem: problem ?? storedProblem, storedProblem, done, stale, change, save, discard };
}
