/** The APIs list's Credentials cell: None, Basic, or the certificate by subject and last four with its expiry. */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ApiSecurity } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { expiryOf } from '../certificates/expiry';
import { expiryLabel } from '../certificates/expiry-text';
import { lastFour } from '../certificates/thumbprint';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  certificate: { display: 'flex', flexDirection: 'column' },
  last4: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightBold },
  meta: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  soon: { color: tokens.colorPaletteDarkOrangeForeground1, fontWeight: tokens.fontWeightSemibold },
  expired: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  warn: { color: tokens.colorPaletteRedForeground1 },
});

/** What one API presents to its back end. */
export function CredentialsCell(props: { readonly entry: ApiSecurity | undefined; readonly now: number }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { entry } = props;
  if (!entry) return null;
  const { security, certificate } = entry;
  if (!security) return <span className={styles.warn}>{i18n.t('apis.credentials.unreadable')}</span>;
  switch (security.type) {
    case 'none':
      return <span className={styles.muted}>{i18n.t('security.none')}</span>;
    case 'basic':
      return <span>{i18n.t('apis.credentials.basic', { username: security.username })}</span>;
    case 'certificate': {
      if (!certificate) return <span className={styles.warn}>{i18n.t('apis.credentials.missing', { id: security.certificateId })}</span>;
      const subject = certificate.commonName || certificate.subject;
      const expiry = expiryOf(certificate.notAfter, props.now);
      const label = i18n.t('apis.credentials.certificate', {
        subject,
        last4: lastFour(certificate.thumbprint),
        expiry: expiryLabel(i18n, certificate.notAfter, props.now),
      });
      return (
        <span className={styles.certificate} title={label} data-expiry={expiry.kind}>
          <span>{subject}</span>
          <span className={styles.meta}>
            …<strong className={mergeClasses('cg-thumbprint-last4', styles.last4)}>{lastFour(certificate.thumbprint)}</strong> ·{' '}
            <span className={expiry.kind === 'ok' ? undefined : styles[expiry.kind]}>{expiryLabel(i18n, certificate.notAfter, props.now)}</span>
          </span>
        </span>
      );
    }
  }
}
