/**
 * One policy document's editor at any scope (All APIs, an API, an operation): the notices, the XML editor
 * (CodeMirror, loaded on first use), "Save" and "Discard changes".
 */
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n';
import { useCertificates } from '../certificates/use-certificates';
import { errorText } from '../error-text';
import { ErrorBar, Loading } from '../shell/feedback';
import type { PolicyState } from './use-policy';
import { usePolicyDraft, type PolicyDraft } from './use-policy-draft';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  actions: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
});

// CodeMirror is a third of the bundle and only the policy editors need it: load it on first use.
const PolicyEditor = lazy(() => import('./policy-editor').then((m) => ({ default: m.PolicyEditor })));

function PolicyNotices(props: { readonly draft: PolicyDraft }) {
  const i18n = useI18n();
  const { done, stale, error, problem, storedProblem } = props.draft;
  return (
    <>
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
      {storedProblem && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{i18n.t('policy.storedProblemTitle')}</MessageBarTitle>
            {i18n.t('policy.problemAt', { line: storedProblem.line, column: storedProblem.column, message: storedProblem.message })}
          </MessageBarBody>
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
    </>
  );
}

function PolicyActions(props: { readonly draft: PolicyDraft }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { busy, dirty } = props.draft;
  return (
    <div className={styles.actions}>
      <Button appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void props.draft.save()}>
        {i18n.t('common.save')}
      </Button>
      <Button disabled={!dirty || busy} onClick={props.draft.discard}>
        {i18n.t('policy.discard')}
      </Button>
      {dirty && <Text>{i18n.t('policy.unsaved')}</Text>}
    </div>
  );
}

/** The editor for `policy`; `label` names the editor for assistive technology. */
export function PolicyPanel(props: { readonly policy: PolicyState; readonly label?: string }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { policy } = props;
  const draft = usePolicyDraft(policy);
  const certificates = useCertificates();

  if (policy.loading) return <Loading />;
  if (policy.data === undefined) return policy.error ? <ErrorBar error={policy.error} onRetry={() => void policy.refresh()} /> : null;
  return (
    <div className={styles.root}>
      <PolicyNotices draft={draft} />
      <Suspense fallback={<Loading />}>
        <PolicyEditor
          value={draft.text}
          onChange={draft.change}
          problem={draft.problem}
          label={props.label ?? i18n.t('policy.editor')}
          certificates={certificates.certificates}
        />
      </Suspense>
      <PolicyActions draft={draft} />
    </div>
  );
}
