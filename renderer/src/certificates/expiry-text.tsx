/** A certificate's expiry: the date, then "expires in N days" or "expired …", coloured by urgency. */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useI18n, type I18n } from '../../i18n';
import { expiryOf } from './expiry';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column' },
  date: { whiteSpace: 'nowrap' },
  relative: { fontSize: tokens.fontSizeBase200 },
  ok: { color: tokens.colorNeutralForeground2 },
  soon: { color: tokens.colorPaletteDarkOrangeForeground1, fontWeight: tokens.fontWeightSemibold },
  expired: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** The expiry date with its distance from now. */
export function ExpiryText(props: { readonly notAfter: string; readonly now: number; readonly inline?: boolean }) {
  const i18n = useI18n();
  const styles = useStyles();
  const expiry = expiryOf(props.notAfter, props.now);
  const relative = expiryLabel(i18n, props.notAfter, props.now);
  return (
    <span className={props.inline ? undefined : styles.root} data-expiry={expiry.kind}>
      <time className={styles.date} dateTime={props.notAfter}>{i18n.formatDate(props.notAfter)}</time>
      {props.inline ? ' ' : null}
      <span className={mergeClasses(styles.relative, styles[expiry.kind])}>{relative}</span>
    </span>
  );
}

/** The one-line text of an expiry, for places that take plain text (drop-down items). */
export function expiryLabel(i18n: I18n, notAfter: string, now: number): string {
  const expiry = expiryOf(notAfter, now);
  const when = i18n.formatRelativeDays(expiry.days);
  return expiry.kind === 'expired' ? i18n.t('certs.expired', { when }) : i18n.t('certs.expiresIn', { when });
}
