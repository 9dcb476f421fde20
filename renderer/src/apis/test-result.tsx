/** The answer to a test call, with an explanation when the gateway reports an error code. */
import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import type { MessageKey } from '../../i18n';
import type { TestCallResult } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { Thumbprint } from '../certificates/thumbprint';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  grid: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, wordBreak: 'break-word' },
  pre: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: '40vh',
    overflow: 'auto',
    margin: 0,
  },
  ok: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  bad: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** The result view. */
export function TestResultView(props: { readonly result: TestCallResult }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { result } = props;
  const headers = Object.entries(result.headers);
  return (
    <section className={styles.root} aria-label={i18n.t('test.result')} aria-live="polite">
      <Text as="h3" size={400} weight="semibold">
        {i18n.t('test.result')}
      </Text>
      {result.errorCode && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{i18n.t('test.explanation')}</MessageBarTitle>
            <code>{result.errorCode}</code>: {i18n.t(`error.${result.errorCode}` as MessageKey)}
          </MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.grid}>
        <dt className={styles.term}>{i18n.t('test.status')}</dt>
        <dd className={styles.value}>
          <span className={result.status < 400 ? styles.ok : styles.bad} data-testid="test-status">
            {result.status}
          </span>
        </dd>
        <dt className={styles.term}>{i18n.t('test.time')}</dt>
        <dd className={styles.value}>{i18n.t('test.timeValue', { ms: Math.round(result.durationMs) })}</dd>
        <dt className={styles.term}>{i18n.t('test.certificate')}</dt>
        <dd className={styles.value}>
          {result.certificateId || result.thumbprint ? (
            <>
              {result.certificateId}
              {result.thumbprint && (
                <>
                  {' '}
                  <Thumbprint value={result.thumbprint} />
                </>
              )}
            </>
          ) : (
            i18n.t('test.noCertificate')
          )}
        </dd>
      </dl>
      <Text as="h4" weight="semibold">
        {i18n.t('test.responseHeaders')}
      </Text>
      <pre className={styles.pre}>{headers.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>
      <Text as="h4" weight="semibold">
        {i18n.t('test.responseBody')}
      </Text>
      <pre className={styles.pre} tabIndex={0}>
        {result.body === '' ? i18n.t('test.emptyBody') : result.body}
      </pre>
      {result.bodyTruncated && <Text>{i18n.t('test.truncated')}</Text>}
    </section>
  );
}
