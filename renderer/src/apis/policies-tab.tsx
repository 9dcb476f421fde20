/** An API's Policies tab: the policy XML, "Save", and the problem's place when the core refuses it. */
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useState } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { PolicyProblem } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { ErrorBar, Loading } from '../shell/feedback';
import { useCertificates } from '../certificates/use-certificates';
import { usePolicy } from './use-policy';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

// CodeMirror is a third of the bundle and only this tab needs it: load it on first use.
const PolicyEditor = lazy(() => import('./policy-editor').then((m) => ({ default: m.PolicyEditor })));

/** The `validation` details of a refused policy, when they say where the problem is. */
function problemOf(error: AppError): PolicyProblem | null {
  const d = error.details as Partial<PolicyProblem> | undefined;
  if (error.code !== 'validation' || !d || typeof d.line !== 'number' || typeof d.column !== 'number') return null;
  return { message: typeof d.message === 'string' ? d.message : error.message, line: d.line, column: d.column, element: d.element };
}

/** The Policies tab. */
export function PoliciesTab(props: { readonly apiId: string }) {
  const i18n = useI18n();
  const styles = useStyles();
  const policy = usePolicy(props.apiId);
  const certificates = useCertificates();
  const saved = policy.data?.xml;
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<PolicyProblem | null>(null);
  const [done, setDone] = useState(false);
  const [stale, setStale] = useState(false);
  const [seen, setSeen] = useState(saved);
  const dirty = draft !== null && draft !== saved;

  // A change saved elsewhere (the Security tab, the CLI…) shows at once, unless there are unsaved edits here.
  if (saved !== seen) {
    setSeen(saved);
    if (dirty && seen !== undefined) setStale(true);
    else setDraft(null);
  }

  if (policy.loading) return <Loading />;
  if (saved === undefined) return policy.error ? <ErrorBar error={policy.error} onRetry={() => void policy.refresh()} /> : null;

  const save = async () => {
    if (busy) return;
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

  return (
    <div className={styles.root}>
      {done && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{i18n.t('policy.saved')}</MessageBarBody>
        </MessageBar>
      )}
      {stale && (
        <MessageBar intent="warning">
          <MessageBarBody>{i18n.t('policy.changedElsewhere')}</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{i18n.t('policy.problemTitle')}</MessageBarTitle>
            {problem
              ? i18n.t('policy.problemAt', { line: problem.line, column: problem.column, message: problem.message })
              : errorText(i18n, error)}
          </MessageBarBody>
        </MessageBar>
      )}
      <Suspense fallback={<Loading />}>
        <PolicyEditor
          value={draft ?? saved}
          onChange={(xml) => {
            setDraft(xml);
            setDone(false);
          }}
          problem={problem}
          label={i18n.t('policy.editor')}
          certificates={certificates.certificates}
        />
      </Suspense>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void save()}>
          {i18n.t('common.save')}
        </Button>
        <Button
          disabled={!dirty || busy}
          onClick={() => {
            setDraft(null);
            setStale(false);
            setProblem(null);
            setError(null);
          }}
        >
          {i18n.t('policy.discard')}
        </Button>
        {dirty && <Text>{i18n.t('policy.unsaved')}</Text>}
      </div>
    </div>
  );
}
