/**
 * "Inspect before upload": what the chosen file holds, as `certgate cert inspect` shows it (subject, chain,
 * key, protection, weak algorithms), before anything is stored.
 */
import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { CertificateInfo } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { keyDescription } from './details-dialog';
import { ExpiryText } from './expiry-text';
import { Thumbprint } from './thumbprint';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  grid: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: 'break-word' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** The inspected file; `now` places its expiry. */
export function InspectionView(props: { readonly info: CertificateInfo; readonly now: number }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { info } = props;
  const p = info.protection;
  const row = (term: string, value: ReactNode) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value}</dd>
    </>
  );
  return (
    <section className={styles.root} aria-label={i18n.t('inspect.title')} data-testid="inspection">
      <Text as="h3" weight="semibold">
        {i18n.t('inspect.title')}
      </Text>
      {p.weak && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{i18n.t('details.weakTitle')}</MessageBarTitle>
            {i18n.t('details.weakBody', { reasons: p.weakReasons.join(', ') })}
          </MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.grid}>
        {row(i18n.t('details.subject'), info.subject)}
        {row(i18n.t('details.thumbprint'), <Thumbprint value={info.thumbprint} />)}
        {row(i18n.t('details.validTo'), <ExpiryText notAfter={info.notAfter} now={props.now} inline />)}
        {row(i18n.t('details.key'), keyDescription(info))}
        {row(i18n.t('details.format'), p.format === 'pkcs12' ? 'PKCS#12' : 'PEM')}
        {row(i18n.t('details.keyEncryption'), p.keyEncryption)}
        {row(i18n.t('details.mac'), p.mac)}
      </dl>
      <Text weight="semibold">{i18n.t('details.chain')}</Text>
      <ol className={styles.list}>
        {info.chain.map((entry) => (
          <li key={entry.thumbprint}>
            {i18n.t('details.chainEntry', { subject: entry.subject, issuer: entry.issuer, notAfter: i18n.formatDate(entry.notAfter) })}
          </li>
        ))}
      </ol>
    </section>
  );
}
