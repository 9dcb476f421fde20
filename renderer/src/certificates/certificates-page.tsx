/**
 * Security → Client certificates: the expiry banner, the table, "Upload certificate", details, replace
 * (rotation, with rollback), delete, and the recent rotations.
 */
import { Button, useRestoreFocusTarget } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';
import { useCallback, useMemo, useState } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useApis } from '../apis/use-apis';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { Page } from '../shell/page';
import { CertificateTable } from './certificate-table';
import { DeleteDialog, type DeleteTarget } from './delete-dialog';
import { DetailsDialog } from './details-dialog';
import { ExpiryBanner } from './expiry-banner';
import { ReplaceDialog } from './replace-dialog';
import { RotationsList } from './rotations-list';
import { UploadDialog } from './upload-dialog';
import { useCertificates } from './use-certificates';
import { useExpiring } from './use-expiring';
import { useRotations } from './use-rotations';

/** The client certificates page. */
export function CertificatesPage() {
  const i18n = useI18n();
  const notify = useNotify();
  const certs = useCertificates();
  const expiring = useExpiring();
  const rotations = useRotations();
  const { apis } = useApis();
  const restoreFocus = useRestoreFocusTarget();
  const [uploading, setUploading] = useState(false);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const [details, setDetails] = useState<CertificateWithUsage | null>(null);
  const [replacing, setReplacing] = useState<CertificateWithUsage | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const now = useMemo(() => Date.now(), [certs.certificates]);
  // Stable, so that the table's memoised rows do not render again when unrelated data arrives.
  const onDelete = useCallback((c: CertificateWithUsage) => setDeleting({ id: c.id, name: c.commonName || c.subject, usedBy: c.usedBy }), []);

  const uploadButton = (
    <Button appearance="primary" icon={<ArrowUploadRegular />} {...restoreFocus} onClick={() => setUploading(true)}>
      {i18n.t('certs.upload')}
    </Button>
  );

  let body;
  if (certs.loading) body = <Loading />;
  else if (certs.error && !certs.data) body = <ErrorBar error={certs.error} onRetry={() => void certs.refresh()} />;
  else if (certs.certificates.length === 0)
    body = <EmptyState title={i18n.t('certs.empty.title')} body={i18n.t('certs.empty.body')} action={uploadButton} offlineHint />;
  else
    body = (
      <>
        {certs.error && <ErrorBar error={certs.error} onRetry={() => void certs.refresh()} />}
        <ExpiryBanner
          expiring={expiring.expiring}
          onReplace={(id) => setReplacing(certs.certificates.find((c) => c.id === id) ?? null)}
        />
        <CertificateTable
          certificates={certs.certificates}
          highlightId={highlightId}
          now={now}
          onDetails={setDetails}
          onReplace={setReplacing}
          onDelete={onDelete}
        />
        <RotationsList rotations={rotations} certificates={certs.certificates} apis={apis} />
      </>
    );

  return (
    <Page title={i18n.t('certs.title')} intro={i18n.t('certs.intro')} actions={certs.certificates.length > 0 ? uploadButton : undefined}>
      {body}
      <UploadDialog
        open={uploading}
        upload={certs.upload}
        onClose={() => setUploading(false)}
        onShow={(id) => {
          setUploading(false);
          setDetails(certs.certificates.find((c) => c.id === id) ?? null);
        }}
        onUploaded={(certificate, created) => {
          setUploading(false);
          setHighlightId(certificate.id);
          const name = certificate.commonName || certificate.subject;
          notify(created ? i18n.t('certs.uploaded', { name }) : i18n.t('certs.replaced', { name }));
        }}
      />
      <DetailsDialog certificate={details} now={now} onClose={() => setDetails(null)} />
      <ReplaceDialog
        target={replacing}
        rotate={rotations.rotate}
        rollback={rotations.rollback}
        onClose={() => setReplacing(null)}
        onRotated={(result) => setHighlightId(result.newCertificate.id)}
      />
      <DeleteDialog
        target={deleting}
        title={i18n.t('delete.title')}
        inUseBody={i18n.t('delete.inUseBody')}
        inUseFirstBody={i18n.t('delete.inUseFirstBody')}
        onConfirm={certs.remove}
        onClose={() => setDeleting(null)}
        onDeleted={(target) => {
          setDeleting(null);
          notify(i18n.t('certs.deleted', { name: target.name }));
        }}
      />
    </Page>
  );
}
