/** A certificate's details: issuer, chain, SANs, key, file algorithms (with a weak-algorithm warning), usage. */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { CertificateInfo, CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n, type I18n } from '../../i18n';
import { routeHref } from '../shell/router';
import { Copyable } from './copy-button';
import { ExpiryText } from './expiry-text';
import { Thumbprint } from './thumbprint';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: 'break-word' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** The key's description: "RSA 2048", "EC P-256", "Ed25519". */
export function keyDescription(info: Pick<CertificateInfo, 'keyType' | 'keySize' | 'curve'>): string {
  if (info.keyType === 'EC') return `EC ${info.curve ?? ''}`.trim();
  if (info.keyType === 'RSA') return info.keySize ? `RSA ${info.keySize}` : 'RSA';
  return info.keyType;
}

function iterationsText(i18n: I18n, value: number | null): string {
  return value === null ? i18n.t('common.none') : i18n.formatNumber(value);
}

/** The details dialog of one certificate. */
export function DetailsDialog(props: { readonly certificate: CertificateWithUsage | null; readonly now: number; readonly onClose: () => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const c = props.certificate;
  const row = (term: string, value: ReactNode) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value}</dd>
    </>
  );
  return (
    <Dialog open={c !== null} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>
        {c && (
          <DialogBody>
            <DialogTitle>{i18n.t('details.title')}</DialogTitle>
            <DialogContent className={styles.content}>
              {c.protection.weak && (
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{i18n.t('details.weakTitle')}</MessageBarTitle>
                    {i18n.t('details.weakBody', { reasons: c.protection.weakReasons.join(', ') })}
                  </MessageBarBody>
                </MessageBar>
              )}
              <dl className={styles.grid}>
                {row(i18n.t('details.id'), <Copyable value={c.id} label={i18n.t('copy.id')} />)}
                {row(i18n.t('details.subject'), c.subject)}
                {row(i18n.t('details.issuer'), c.issuer)}
                {row(i18n.t('details.selfSigned'), c.selfSigned ? i18n.t('common.yes') : i18n.t('common.no'))}
                {c.friendlyName && row(i18n.t('details.friendlyName'), c.friendlyName)}
                {row(i18n.t('details.thumbprint'), <Copyable value={c.thumbprint} label={i18n.t('copy.thumbprint')}><Thumbprint value={c.thumbprint} /></Copyable>)}
                {row(i18n.t('details.sha256'), <span className={styles.mono}>{c.sha256Fingerprint}</span>)}
                {row(i18n.t('details.serial'), <span className={styles.mono}>{c.serialNumber}</span>)}
                {row(i18n.t('details.validFrom'), i18n.formatDateTime(c.notBefore))}
                {row(i18n.t('details.validTo'), <ExpiryText notAfter={c.notAfter} now={props.now} inline />)}
                {row(i18n.t('details.key'), keyDescription(c))}
                {row(
                  i18n.t('details.sans'),
                  c.subjectAltNames.length === 0 ? (
                    i18n.t('common.none')
                  ) : (
                    <ul className={styles.list}>
                      {c.subjectAltNames.map((san) => (
                        <li key={san}>{san}</li>
                      ))}
                    </ul>
                  ),
                )}
                {row(i18n.t('details.uploadedAt'), i18n.formatDateTime(c.uploadedAt))}
                {row(
                  i18n.t('details.usedBy'),
                  c.usedBy.length === 0 ? (
                    i18n.t('certs.notUsed')
                  ) : (
                    <ul className={styles.list}>
                      {c.usedBy.map((u) => (
                        <li key={`${u.apiId}/${u.reference}`}>
                          <Link href={routeHref({ page: 'api', apiId: u.apiId, tab: 'security' })} onClick={props.onClose}>
                            {u.apiName}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ),
                )}
              </dl>
              <section aria-label={i18n.t('details.chain')}>
                <Text as="h3" weight="semibold">
                  {i18n.t('details.chain')}
                </Text>
                <ol className={styles.list}>
                  {c.chain.map((entry) => (
                    <li key={entry.thumbprint}>
                      {i18n.t('details.chainEntry', { subject: entry.subject, issuer: entry.issuer, notAfter: i18n.formatDate(entry.notAfter) })}
                    </li>
                  ))}
                </ol>
              </section>
              <section aria-label={i18n.t('details.algorithms')}>
                <Text as="h3" weight="semibold">
                  {i18n.t('details.algorithms')}
                </Text>
                <dl className={styles.grid}>
                  {row(i18n.t('details.format'), c.protection.format === 'pkcs12' ? 'PKCS#12' : 'PEM')}
                  {row(i18n.t('details.keyEncryption'), c.protection.keyEncryption)}
                  {row(i18n.t('details.certificateEncryption'), c.protection.certificateEncryption)}
                  {row(i18n.t('details.mac'), c.protection.mac)}
                  {row(i18n.t('details.iterations'), `${iterationsText(i18n, c.protection.iterations)} / ${iterationsText(i18n, c.protection.macIterations)}`)}
                </dl>
              </section>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={props.onClose}>
                {i18n.t('common.close')}
              </Button>
            </DialogActions>
          </DialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}
