/**
 * A linked certificate's file and sync state: the table's link icon (the path and state on hover and focus,
 * a red icon when the last sync failed) and the details dialog's "Linked file" section (last good sync, the
 * error named with the APIs at risk, Sync now, Unlink).
 */
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, Tooltip } from '@fluentui/react-components';
import { ArrowSyncRegular, ErrorCircleRegular, LinkDismissRegular, LinkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { Certificate, CertificateSource } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import { useI18n, type I18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import type { LinksState } from './use-links';

const useStyles = makeStyles({
  icon: { display: 'inline-flex', color: tokens.colorBrandForeground1, flexShrink: 0, fontSize: '16px' },
  failed: { color: tokens.colorPaletteRedForeground1 },
  grid: { display: 'grid', gridTemplateColumns: 'minmax(140px, max-content) 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: 'break-word' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** "client1 follows /certs/client.pfx: in sync". */
function stateLabel(i18n: I18n, certificate: Certificate, source: CertificateSource): string {
  return i18n.t('link.iconLabel', { id: certificate.id, file: source.file, state: i18n.t(`link.state.${source.state}`) });
}

/** The table's link icon of a linked certificate (nothing for others). */
export function LinkIcon(props: { readonly certificate: Certificate }) {
  const i18n = useI18n();
  const styles = useStyles();
  const source = props.certificate.source;
  if (!source) return null;
  const label = stateLabel(i18n, props.certificate, source);
  const failed = source.state === 'error';
  const tip = failed && source.syncError ? `${label}. ${source.syncError.message}` : label;
  return (
    <Tooltip content={tip} relationship="description" withArrow>
      <span className={failed ? `${styles.icon} ${styles.failed}` : styles.icon} role="img" aria-label={label} tabIndex={0} data-link-state={source.state}>
        {failed ? <ErrorCircleRegular /> : <LinkRegular />}
      </span>
    </Tooltip>
  );
}

/** The details dialog's section of a linked certificate: file, state, last good sync, error, Sync now, Unlink. */
export function LinkSection(props: { readonly certificate: Certificate; readonly links: LinksState }) {
  const i18n = useI18n();
  const styles = useStyles();
  const notify = useNotify();
  const [busy, setBusy] = useState<'sync' | 'unlink' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const { certificate: c } = props;
  const source = c.source;
  if (!source) return null;
  const name = c.commonName || c.subject;
  const run = async (what: 'sync' | 'unlink') => {
    setBusy(what);
    setError(null);
    const result = what === 'sync' ? await props.links.sync(c.id) : await props.links.unlink(c.id);
    setBusy(null);
    if (!result.ok) return setError(result.error);
    if (what === 'unlink') notify(i18n.t('link.unlinked', { name }));
    else notify(result.value.source?.syncError ? i18n.t('link.syncFailed', { name }) : i18n.t('link.synced', { name }), result.value.source?.syncError ? 'error' : 'success');
  };
  const row = (term: string, value: string, mono = false) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={mono ? `${styles.value} ${styles.mono}` : styles.value}>{value}</dd>
    </>
  );
  return (
    <section aria-label={i18n.t('link.section')} className={styles.section}>
      <Text as="h3" weight="semibold">
        {i18n.t('link.section')}
      </Text>
      <dl className={styles.grid}>
        {row(i18n.t('link.file'), source.file, true)}
        {row(i18n.t('link.stateLabel'), i18n.t(`link.state.${source.state}`))}
        {row(i18n.t('link.lastGoodSync'), source.lastGoodSyncAt ? i18n.formatDateTime(source.lastGoodSyncAt) : i18n.t('link.never'))}
        {row(i18n.t('link.version'), String(c.version ?? 1))}
      </dl>
      {source.syncError && <SyncErrorBar certificate={c} error={source.syncError} />}
      {error && <ErrorBar error={error} />}
      <div className={styles.actions}>
        <Button icon={<ArrowSyncRegular />} disabled={busy !== null} onClick={() => void run('sync')}>
          {busy === 'sync' ? i18n.t('link.syncing') : i18n.t('link.syncNow')}
        </Button>
        <Button icon={<LinkDismissRegular />} disabled={busy !== null} onClick={() => void run('unlink')}>
          {i18n.t('link.unlink')}
        </Button>
      </div>
    </section>
  );
}

function SyncErrorBar(props: { readonly certificate: Certificate; readonly error: NonNullable<CertificateSource['syncError']> }) {
  const i18n = useI18n();
  const { error } = props;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{i18n.t('link.errorTitle', { code: error.code })}</MessageBarTitle>
        {error.message} ({i18n.formatDateTime(error.at)})
        {error.apisAtRisk.length > 0 && <div>{i18n.t('link.atRisk', { version: String(props.certificate.version ?? 1), apis: error.apisAtRisk.join(', ') })}</div>}
      </MessageBarBody>
    </MessageBar>
  );
}
