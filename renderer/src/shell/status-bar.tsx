/** The status bar: the gateway's URL and state, and how the data folder's vault is protected. */
import { makeStyles, PresenceBadge, Text, tokens } from '@fluentui/react-components';
import type { AppInfo, GatewayStatus } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';
import type { MessageKey } from '../../i18n';

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

/** The words for the vault: the system keychain, a passphrase, or a passphrase still to give. */
function vaultKey(vault: AppInfo['vault'] | undefined): MessageKey {
  if (!vault) return 'status.unknown';
  if (vault.protection === 'keychain') return 'status.vault.keychain';
  return vault.locked ? 'status.vault.locked' : 'status.vault.passphrase';
}

/** The status bar at the bottom of the window; `vault` comes from the shell's `app.info`. */
export function StatusBar(props: { readonly vault?: AppInfo['vault'] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { status } = useGateway();
  const state = status ? i18n.t(`gateway.state.${status.state}`) : i18n.t('status.unknown');
  return (
    <footer className={styles.bar} role="status" aria-label={i18n.t('status.label')}>
      <PresenceBadge status={presence(status?.state)} size="extra-small" aria-hidden />
      <Text size={200}>
        {i18n.t('status.gateway', { state })}
      </Text>
      <Text size={200} className={styles.url}>
        {status?.url ?? i18n.t('status.notListening')}
      </Text>
      <Text size={200}>
        {i18n.t('status.vault', { vault: i18n.t(vaultKey(props.vault)) })}
      </Text>
    </footer>
  );
}
