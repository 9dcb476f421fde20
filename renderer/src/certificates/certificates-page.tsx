/**
 * Security → Client certificates: the expiry banner, the table, "Upload certificate", "Link a file", details
 * (with a linked file's state, Sync now, Unlink, and export), replace (rotation, with rollback), delete, and
 * the recent rotations.
 */
import { Button, makeStyles, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import { ArrowUploadRegular, LinkAddRegular } from '@fluentui/react-icons';
import { useI18n } from '../../i18n';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { Page } from '../shell/page';
import { CertificateTable } from './certificate-table';
import { DeleteDialog } from './delete-dialog';
import { DetailsDialog } from './details-dialog';
import { ExpiryBanner } from './expiry-banner';
import { LinkDialog } from './link-dialog';
import { ReplaceDialog } from './replace-dialog';
import { RotationsList } from './rotations-list';
import { UploadDialog } from './upload-dialog';
import { useCertificatesPage, type CertificatesPageState } from './use-certificates-page';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** The client certificates page. */
export function CertificatesPage() {
  const i18n = useI18n();
  const state = useCertificatesPage();
  const { certs } = state;
  const actions = <PageActions state={state} />;

  let body;
  if (certs.loading) body = <Loading />;
  else if (certs.error && !certs.data) body = <ErrorBar error={certs.error} onRetry={() => void certs.refresh()} />;
  else if (certs.certificates.length === 0)
    body = <EmptyState title={i18n.t('certs.empty.title')} body={i18n.t('certs.empty.body')} action={actions} offlineHint />;
  else
    body = (
      <>
        {certs.error && <ErrorBar error={certs.error} onRetry={() => void certs.refresh()} />}
        <ExpiryBanner expiring={state.expiring.expiring} onReplace={(id) => state.setReplacing(state.find(id))} />
        <CertificateTable
          certificates={certs.certificates}
          highlightId={state.highlightId}
          now={state.now}
          onDetails={state.onDetails}
          onReplace={state.setReplacing}
          onDelete={state.onDelete}
        />
        <RotationsList rotations={state.rotations} certificates={certs.certificates} apis={state.apis} />
      </>
    );

  return (
    <Page title={i18n.t('certs.title')} intro={i18n.t('certs.intro')} actions={certs.certificates.length > 0 ? actions : undefined}>
      {body}
      <UploadAndLinkDialogs state={state} />
      <DetailsDialog certificate={state.details} now={state.now} links={state.links} onClose={() => state.setDetailsId(null)} />
      <ReplaceDialog
        target={state.replacing}
        rotate={state.rotations.rotate}
        rollback={state.rotations.rollback}
        onClose={() => state.setReplacing(null)}
        onRotated={(result) => state.setHighlightId(result.newCertificate.id)}
      />
      <CertificateDeleteDialog state={state} />
    </Page>
  );
}

function PageActions(props: { readonly state: CertificatesPageState }) {
  const i18n = useI18n();
  const styles = useStyles();
  const restoreFocus = useRestoreFocusTarget();
  return (
    <div className={styles.actions}>
      <Button appearance="primary" icon={<ArrowUploadRegular />} {...restoreFocus} onClick={() => props.state.setUploading(true)}>
        {i18n.t('certs.upload')}
      </Button>
      <Button icon={<LinkAddRegular />} {...restoreFocus} onClick={() => props.state.setLinking(true)}>
        {i18n.t('link.open')}
      </Button>
    </div>
  );
}

function UploadAndLinkDialogs(props: { readonly state: CertificatesPageState }) {
  const i18n = useI18n();
  const notify = useNotify();
  const { state } = props;
  return (
    <>
      <UploadDialog
        open={state.uploading}
        upload={state.certs.upload}
        onClose={() => state.setUploading(false)}
        onShow={(id) => {
          state.setUploading(false);
          state.setDetailsId(id);
        }}
        onUploaded={(certificate, created) => {
          state.setUploading(false);
          state.setHighlightId(certificate.id);
          const name = certificate.commonName || certificate.subject;
          notify(created ? i18n.t('certs.uploaded', { name }) : i18n.t('certs.replaced', { name }));
        }}
      />
      <LinkDialog
        open={state.linking}
        links={state.links}
        onClose={() => state.setLinking(false)}
        onLinked={(certificate) => {
          state.setLinking(false);
          state.setHighlightId(certificate.id);
          notify(i18n.t('link.done', { name: certificate.commonName || certificate.subject, file: certificate.source?.file ?? '' }));
        }}
      />
    </>
  );
}

function CertificateDeleteDialog(props: { readonly state: CertificatesPageState }) {
  const i18n = useI18n();
  const notify = useNotify();
  const { state } = props;
  return (
    <DeleteDialog
      target={state.deleting}
      title={i18n.t('delete.title')}
      inUseBody={i18n.t('delete.inUseBody')}
      inUseFirstBody={i18n.t('delete.inUseFirstBody')}
      onConfirm={state.certs.remove}
      onClose={() => state.setDeleting(null)}
      onDeleted={(target) => {
        state.setDeleting(null);
        notify(i18n.t('certs.deleted', { name: target.name }));
      }}
    />
  );
}
