/** The "Client certificate" drop-down: each item shows the subject, the last four thumbprint characters and the expiry. */
import { Dropdown, makeStyles, mergeClasses, Option, tokens } from '@fluentui/react-components';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n, type I18n } from '../../i18n';
import { expiryLabel } from '../certificates/expiry-text';
import { expiryOf } from '../certificates/expiry';
import { lastFour } from '../certificates/thumbprint';

const useStyles = makeStyles({
  option: { display: 'flex', flexDirection: 'column' },
  meta: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  last4: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightBold, color: tokens.colorNeutralForeground1 },
  warn: { color: tokens.colorPaletteRedForeground1 },
});

/** The one-line text of a certificate: what the closed drop-down and screen readers show. */
function optionText(i18n: I18n, c: CertificateWithUsage, now: number): string {
  return i18n.t('security.certificateOption', { subject: c.commonName || c.subject, last4: lastFour(c.thumbprint), expiry: expiryLabel(i18n, c.notAfter, now) });
}

/** A drop-down of client certificates, for a Fluent `Field` label. */
export function CertificatePicker(props: {
  readonly certificates: readonly CertificateWithUsage[];
  readonly value: string | null;
  readonly onChange: (id: string) => void;
  readonly now: number;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const selected = props.certificates.find((c) => c.id === props.value);
  return (
    <Dropdown
      placeholder={i18n.t('security.chooseCertificate')}
      value={selected ? optionText(i18n, selected, props.now) : ''}
      selectedOptions={props.value ? [props.value] : []}
      onOptionSelect={(_, data) => data.optionValue && props.onChange(data.optionValue)}
    >
      {props.certificates.map((c) => {
        const expiry = expiryOf(c.notAfter, props.now);
        const text = optionText(i18n, c, props.now);
        return (
          <Option key={c.id} value={c.id} text={text} aria-label={text}>
            <span className={styles.option}>
              <span>{c.commonName || c.subject}</span>
              <span className={styles.meta}>
                …<strong className={mergeClasses('cg-thumbprint-last4', styles.last4)}>{lastFour(c.thumbprint)}</strong> ·{' '}
                <span className={expiry.kind === 'ok' ? undefined : styles.warn}>{expiryLabel(i18n, c.notAfter, props.now)}</span>
              </span>
            </span>
          </Option>
        );
      })}
    </Dropdown>
  );
}
