/** The client certificates page's state: its data, which dialog is open, and the row just added. */
import { useCallback, useMemo, useState } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useApis } from '../apis/use-apis';
import type { DeleteTarget } from './delete-dialog';
import { useCertificates } from './use-certificates';
import { useExpiring } from './use-expiring';
import { useLinks } from './use-links';
import { useRotations } from './use-rotations';

/** Everything the page renders and the setters its buttons and dialogs call. */
export function useCertificatesPage() {
  const certs = useCertificates();
  const expiring = useExpiring();
  const rotations = useRotations();
  const links = useLinks();
  const { apis } = useApis();
  const [uploading, setUploading] = useState(false);
  const [linking, setLinking] = useState(false);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  // By id, so the dialog shows the certificate as it is now (a sync or unlink changes it while open).
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<CertificateWithUsage | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const now = useMemo(() => Date.now(), [certs.certificates]);
  // Stable, so that the table's memoised rows do not render again when unrelated data arrives.
  const onDelete = useCallback((c: CertificateWithUsage) => setDeleting({ id: c.id, name: c.commonName || c.subject, usedBy: c.usedBy }), []);
  const onDetails = useCallback((c: CertificateWithUsage) => setDetailsId(c.id), []);
  const find = (id: string | null) => (id === null ? null : (certs.certificates.find((c) => c.id === id) ?? null));
  return {
    certs,
    expiring,
    rotations,
    links,
    apis,
    now,
    uploading,
    setUploading,
    linking,
    setLinking,
    highlightId,
    setHighlightId,
    details: find(detailsId),
    setDetailsId,
    onDetails,
    replacing,
    setReplacing,
    deleting,
    setDeleting,
    onDelete,
    find,
  };
}

/** The page's state, as its parts receive it. */
export type CertificatesPageState = ReturnType<typeof useCertificatesPage>;
