/** The status bar: the gateway's URL and state. */
import { makeStyles, PresenceBadge, Text, tokens } from '@fluentui/react-components';
import type { GatewayStatus } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    fontSize: tokens.fontSizeBase200,
  },
  url: { fontFamily: tokens.fontFamilyMonospace },
});

function presence(state: GatewayStatus['state'] | undefined): 'available' | 'away' | 'busy' | 'offline' {
  switch (state) {
    case 'running':
      return 'available';
    case 'starting':
      return 'away';
    case 'failed':
      return 'busy';
    default:
      return 'offline';
  }
}

/** The status bar at the bottom of the window. */
export function StatusBar() {
  const i18n = useI18n();
  const styles = useStyles();
  const { status } = useGateway();
  const state = status ? i18n.t(`gateway.state.${status.state}`) : i18n.t('status.unknown');
  return (
    <footer className={styles.bar} role="status" aria-label={i18n.t('status.label')}>
      <PresenceBadge status={presence(status?.state)} size="extra-small" aria-hidden />
      <Text size={200}>
        {i18n.t('status.gateway')}: {state}
      </Text>
      <Text size={200} className={styles.url}>
        {status?.url ?? i18n.t('status.notListening')}
      </Text>
    </footer>
  );
}
