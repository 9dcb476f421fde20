/** The states every page shares: loading, error (in words, with a retry) and empty (what to do next). */
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';

const useStyles = makeStyles({
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    maxWidth: '720px',
  },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: `0 ${tokens.spacingHorizontalXS}`,
    borderRadius: tokens.borderRadiusSmall,
  },
});

/** A spinner with a label, for the first load. */
export function Loading() {
  const i18n = useI18n();
  return <Spinner size="small" label={i18n.t('common.loading')} labelPosition="after" />;
}

/** An error in words, with an optional retry. */
export function ErrorBar(props: { readonly error: AppError; readonly onRetry?: () => void; readonly title?: string }) {
  const i18n = useI18n();
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{props.title ?? i18n.t('common.errorTitle')}</MessageBarTitle>
        {errorText(i18n, props.error)}
      </MessageBarBody>
      {props.onRetry && (
        <MessageBarActions>
          <Button size="small" onClick={props.onRetry}>
            {i18n.t('common.retry')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** The command that starts the local mTLS echo back end. */
const ECHO_BACKEND_COMMAND = 'npx certgate echo-backend --port 9443 --ca-out ./echo-ca';

/** How to try everything offline. */
function OfflineHint() {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <Text as="p">
      {i18n.rich('hint.offline', { command: <code className={styles.code}>{ECHO_BACKEND_COMMAND}</code> })}
    </Text>
  );
}

/** An empty state: what this is, what to do next, the action to do it, and how to try it offline. */
export function EmptyState(props: { readonly title: string; readonly body: string; readonly action?: ReactNode; readonly offlineHint?: boolean }) {
  const styles = useStyles();
  return (
    <section className={styles.empty} aria-label={props.title}>
      <Text as="h2" size={500} weight="semibold">
        {props.title}
      </Text>
      <Text as="p">{props.body}</Text>
      {props.offlineHint && <OfflineHint />}
      {props.action}
    </section>
  );
}
