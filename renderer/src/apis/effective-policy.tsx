/**
 * The composed policy a call runs (All APIs, the API, the operation through `<base />`), read-only: the part a
 * scope inherits, next to (wide windows) or below its own policy.
 */
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useId, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { ErrorBar, Loading } from '../shell/feedback';
import { useEffectivePolicy } from './use-policy';

const useStyles = makeStyles({
  // Side by side when both halves get 480 px, else stacked (a 1024 px window stacks them).
  scopes: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(480px, 100%), 1fr))',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    marginTop: tokens.spacingVerticalM,
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
});

// The read-only viewer is CodeMirror too: in the same lazily loaded chunk as the editor.
const XmlViewer = lazy(() => import('../export/xml-viewer').then((m) => ({ default: m.XmlViewer })));

/** The composed policy of an API, or of one of its operations (its heading one level below the page's section). */
export function EffectivePolicy(props: { readonly apiId: string; readonly operationId?: string; readonly heading?: 'h3' | 'h4' }) {
  const i18n = useI18n();
  const styles = useStyles();
  const effective = useEffectivePolicy(props.apiId, props.operationId);
  const titleId = useId();
  let body;
  if (effective.loading) body = <Loading />;
  else if (!effective.data) body = effective.error ? <ErrorBar error={effective.error} onRetry={() => void effective.refresh()} /> : null;
  else
    body = (
      <Suspense fallback={<Loading />}>
        <XmlViewer value={effective.data.xml} label={i18n.t('policy.effective')} />
      </Suspense>
    );
  return (
    <section className={styles.section} aria-labelledby={titleId}>
      <Text as={props.heading ?? 'h3'} size={400} weight="semibold" id={titleId}>
        {i18n.t('policy.effective')}
      </Text>
      <Text>{i18n.t(props.operationId === undefined ? 'policy.effectiveApiHint' : 'policy.effectiveOperationHint')}</Text>
      {effective.error && effective.data && <ErrorBar error={effective.error} onRetry={() => void effective.refresh()} />}
      {body}
    </section>
  );
}

/** A scope's own policy and, beside or below it, the composed one. */
export function PolicyScopes(props: { readonly children: ReactNode; readonly effective: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.scopes}>
      <div className={styles.section}>{props.children}</div>
      {props.effective}
    </div>
  );
}
