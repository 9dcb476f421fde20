/**
 * A certificate's details: issuer, chain, SANs, key, file algorithms (with a weak-algorithm warning), usage; for a
 * linked certificate its file and sync state (Sync now, Unlink); the export of the public certificate and, on
 * explicit request, of the private key.
 */
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
import { ExportSection } from './export-section';
import { LinkSection } from './link-state';
import { Thumbprint } from './thumbprint';
import type { LinksState } from './use-links';

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

type Styles = ReturnType<typeof useStyles>;
type Row = (term: string, value: ReactNode) => ReactNode;

/** What the dialog shows and what its buttons reach. */
export interface DetailsDialogProps {
  readonly certificate: CertificateWithUsage | null;
  readonly now: number;
  readonly links: LinksState;
  readonly onClose: () => void;
}

/** The details dialog of one certificate. */
export function DetailsDialog(props: DetailsDialogProps) {
  const i18n = useI18n();
  const styles = useStyles();
  const c = props.certificate;
  const row: Row = (term, value) => (
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
              <IdentityGrid certificate={c} now={props.now} row={row} styles={styles} onClose={props.onClose} />
              <LinkSection key={`link-${c.id}`} certificate={c} links={props.links} />
              <ChainSection certificate={c} styles={styles} />
              <AlgorithmsSection certificate={c} row={row} styles={styles} />
              <ExportSection key={`export-${c.id}`} certificate={c} />
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

interface PartProps {
  readonly certificate: CertificateWithUsage;
  readonly styles: Styles;
}

function IdentityGrid(props: PartProps & { readonly now: number; readonly row: Row; readonly onClose: () => void }) {
  const i18n = useI18n();
  const { certificate: c, styles, row } = props;
  const list = (items: readonly ReactNode[], empty: string) => (items.length === 0 ? empty : <ul className={styles.list}>{items}</ul>);
  return (
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
      {row(i18n.t('details.sans'), list(c.subjectAltNames.map((san) => <li key={san}>{san}</li>), i18n.t('common.none')))}
      {row(i18n.t('details.uploadedAt'), i18n.formatDateTime(c.uploadedAt))}
      {row(
        i18n.t('details.usedBy'),
        list(
          c.usedBy.map((u) => (
            <li key={`${u.apiId}/${u.reference}`}>
              <Link href={routeHref({ page: 'api', apiId: u.apiId, tab: 'security' })} onClick={props.onClose}>
                {u.apiName}
              </Link>
            </li>
          )),
          i18n.t('certs.notUsed'),
        ),
      )}
    </dl>
  );
}

function ChainSection(props: PartProps) {
  const i18n = useI18n();
  return (
    <section aria-label={i18n.t('details.chain')}>
      <Text as="h3" weight="semibold">
        {i18n.t('details.chain')}
      </Text>
      <ol className={props.styles.list}>
        {props.certificate.chain.map((entry) => (
          <li key={entry.thumbprint}>
            {i18n.t('details.chainEntry', { subject: entry.subject, issuer: entry.issuer, notAfter: i18n.formatDate(entry.notAfter) })}
          </li>
        ))}
      </ol>
    </section>
  );
}

function AlgorithmsSection(props: PartProps & { readonly row: Row }) {
  const i18n = useI18n();
  const { protection } = props.certificate;
  const { row } = props;
  return (
    <section aria-label={i18n.t('details.algorithms')}>
      <Text as="h3" weight="semibold">
        {i18n.t('details.algorithms')}
      </Text>
      <dl className={props.styles.grid}>
        {row(i18n.t('details.format'), protection.format === 'pkcs12' ? 'PKCS#12' : 'PEM')}
        {row(i18n.t('details.keyEncryption'), protection.keyEncryption)}
        {row(i18n.t('details.certificateEncryption'), protection.certificateEncryption)}
        {row(i18n.t('details.mac'), protection.mac)}
        {row(i18n.t('details.iterations'), `${iterationsText(i18n, protection.iterations)} / ${iterationsText(i18n, protection.macIterations)}`)}
      </dl>
    </section>
  );
}
