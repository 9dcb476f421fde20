/**
 * The Client certificates page's expiry warning: each certificate that expires within 30 days or has expired,
 * or whose chain's CA certificate expires first, with the APIs that use it and a way to replace it.
 */
import { Button, Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import type { ExpiringCertificate } from '../../../preload/contract/model';
import { useI18n, type I18n } from '../../i18n';
import { routeHref } from '../shell/router';

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalS} 0 0`, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS },
  usage: { flexBasis: '100%', fontSize: tokens.fontSizeBase200 },
});

/** Certificates listed at most; the rest are counted. */
const SHOWN = 5;

function nameOf(subject: string): string {
  return /(?:^|,)\s*CN=([^,]*)/.exec(subject)?.[1] || subject;
}

/** "expires in 3 days" / "expired 2 days ago" / "its CA certificate … expires in 3 days, before it does". */
function whenText(i18n: I18n, e: ExpiringCertificate): string {
  const when = i18n.formatRelativeDays(e.daysLeft);
  const expired = e.threshold === 0;
  if (e.which === 'chain') {
    return expired
      ? i18n.t('expiring.chainExpired', { ca: nameOf(e.expiringSubject), when })
      : i18n.t('expiring.chainExpires', { ca: nameOf(e.expiringSubject), when });
  }
  return expired ? i18n.t('certs.expired', { when }) : i18n.t('certs.expiresIn', { when });
}

/** The banner; nothing when no certificate is close to expiry. */
export function ExpiryBanner(props: { readonly expiring: readonly ExpiringCertificate[]; readonly onReplace: (certificateId: string) => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  // The replace dialog gives focus back to the button that opened it.
  const restoreFocus = useRestoreFocusTarget();
  const { expiring } = props;
  if (expiring.length === 0) return null;
  const anyExpired = expiring.some((e) => e.threshold === 0);
  return (
    <MessageBar intent={anyExpired ? 'error' : 'warning'} layout="multiline" data-testid="expiry-banner">
      <MessageBarBody>
        <MessageBarTitle>{i18n.tn('nav.expiring', expiring.length)}</MessageBarTitle>
        <ul className={styles.list}>
          {expiring.slice(0, SHOWN).map((e) => {
            const name = nameOf(e.subject);
            return (
              <li key={e.certificateId} className={styles.item} data-certificate-id={e.certificateId} data-which={e.which}>
                <Text weight="semibold">{name}</Text>
                <Text>{whenText(i18n, e)}</Text>
                <Button size="small" appearance="outline" {...restoreFocus} aria-label={i18n.t('certs.replaceLabel', { name })} onClick={() => props.onReplace(e.certificateId)}>
                  {i18n.t('certs.replace')}
                </Button>
                <span className={styles.usage}>
                  {e.usedBy.length === 0 ? (
                    i18n.t('certs.notUsed')
                  ) : (
                    <>
                      {i18n.t('expiring.usedBy')}{' '}
                      {e.usedBy.map((u, index) => (
                        <span key={`${u.apiId}/${u.reference}`}>
                          {index > 0 && ', '}
                          <Link href={routeHref({ page: 'api', apiId: u.apiId, tab: 'security' })}>{u.apiName}</Link>
                        </span>
                      ))}
                    </>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
        {expiring.length > SHOWN && <Text>{i18n.t('expiring.more', { count: expiring.length - SHOWN })}</Text>}
      </MessageBarBody>
    </MessageBar>
  );
}
