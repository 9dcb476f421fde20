/** The Gateway page: state, URL, counters and the live traffic. */
import { Badge, Card, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { GatewayStatus } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useApis } from '../apis/use-apis';
import { ErrorBar, Loading } from '../shell/feedback';
import { Page } from '../shell/page';
import { TrafficTable } from './traffic-table';
import { useGateway } from './use-gateway';
import { useTraffic } from './use-traffic';

const useStyles = makeStyles({
  summary: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', gap: tokens.spacingHorizontalM },
  card: { padding: tokens.spacingVerticalM },
  value: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, wordBreak: 'break-word' },
  // The URL card is two columns wide and its URL never wraps (a port split over two lines reads as two numbers).
  wide: { gridColumn: 'span 2' },
  url: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The badge colour of a gateway state. */
function stateColor(state: GatewayStatus['state']): 'success' | 'warning' | 'danger' | 'informative' {
  switch (state) {
    case 'running':
      return 'success';
    case 'starting':
      return 'informative';
    case 'stopped':
      return 'warning';
    case 'failed':
      return 'danger';
  }
}

/** The Gateway page. */
export function GatewayPage() {
  const i18n = useI18n();
  const styles = useStyles();
  const gateway = useGateway();
  const traffic = useTraffic();
  const { apis } = useApis();
  const status = gateway.status;

  const stat = (label: string, value: ReactNode) => (
    <Card className={styles.card}>
      <Text size={200}>{label}</Text>
      <span className={styles.value}>{value}</span>
    </Card>
  );
  const urlText = status?.url ?? i18n.t('status.notListening');

  return (
    <Page title={i18n.t('gateway.title')}>
      {gateway.loading ? (
        <Loading />
      ) : !status ? (
        gateway.error && <ErrorBar error={gateway.error} onRetry={() => void gateway.refresh()} />
      ) : (
        <>
          {status.message && status.state === 'failed' && (
            <ErrorBar error={{ code: 'gateway-unavailable', message: status.message }} />
          )}
          <section className={styles.summary} aria-label={i18n.t('gateway.title')}>
            {stat(i18n.t('gateway.state'), <Badge color={stateColor(status.state)}>{i18n.t(`gateway.state.${status.state}`)}</Badge>)}
            <Card className={mergeClasses(styles.card, styles.wide)}>
              <Text size={200}>{i18n.t('gateway.url')}</Text>
              <span className={mergeClasses(styles.value, styles.url)} title={urlText} data-testid="gateway-url">
                {urlText}
              </span>
            </Card>
            {status.startedAt && stat(i18n.t('gateway.startedAt'), i18n.formatDateTime(status.startedAt))}
            {stat(i18n.t('gateway.counters.requests'), i18n.formatNumber(status.counters.requests))}
            {stat(i18n.t('gateway.counters.errors'), i18n.formatNumber(status.counters.errors))}
            {stat(i18n.t('gateway.counters.inFlight'), i18n.formatNumber(status.counters.inFlight))}
            {stat(i18n.t('gateway.counters.backendHandshakes'), i18n.formatNumber(status.counters.backendHandshakes))}
          </section>
        </>
      )}
      <section className={styles.section} aria-label={i18n.t('gateway.traffic')}>
        <Text as="h2" size={500} weight="semibold">
          {i18n.t('gateway.traffic')}
        </Text>
        {traffic.error && <ErrorBar error={traffic.error} />}
        {traffic.loading ? <Loading /> : <TrafficTable entries={traffic.entries} apis={apis} />}
      </section>
    </Page>
  );
}
