/** Security → CA certificates: the CAs trusted for back-end TLS, upload and delete. */
import {
  Button,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  Tooltip,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { CaCertificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { Page } from '../shell/page';
import { CaUploadDialog } from './ca-upload-dialog';
import { DeleteDialog, type DeleteTarget } from './delete-dialog';
import { ExpiryText } from './expiry-text';
import { Thumbprint } from './thumbprint';
import { useCaCertificates } from './use-ca-certificates';

const useStyles = makeStyles({ subject: { wordBreak: 'break-word' }, actions: { display: 'flex', gap: tokens.spacingHorizontalS } });

/** The CA certificates, each with its expiry, the APIs that trust it, and Delete. */
function CaTable(props: { readonly caCertificates: readonly CaCertificate[]; readonly now: number; readonly onDelete: (target: DeleteTarget) => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const restoreFocus = useRestoreFocusTarget();
  return (
    <Table aria-label={i18n.t('ca.title')} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{i18n.t('certs.col.subject')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('certs.col.thumbprint')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('certs.col.expiry')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('certs.col.usedBy')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('certs.col.actions')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.caCertificates.map((ca) => {
          const name = ca.commonName || ca.subject;
          return (
            <TableRow key={ca.id}>
              <TableCell>
                <TableCellLayout className={styles.subject} description={ca.id}>
                  {name}
                </TableCellLayout>
              </TableCell>
              <TableCell>
                <Thumbprint value={ca.thumbprint} />
              </TableCell>
              <TableCell>
                <ExpiryText notAfter={ca.notAfter} now={props.now} />
              </TableCell>
              <TableCell>
                {ca.usedBy.length === 0 ? (
                  <Text>{i18n.t('certs.notUsed')}</Text>
                ) : (
                  <Tooltip content={ca.usedBy.map((u) => u.apiName).join(', ')} relationship="description">
                    <Text tabIndex={0}>{i18n.tn('certs.usedBy', ca.usedBy.length)}</Text>
                  </Tooltip>
                )}
              </TableCell>
              <TableCell>
                <div className={styles.actions}>
                  <Button size="small" {...restoreFocus} aria-label={i18n.t('certs.deleteLabel', { name })} onClick={() => props.onDelete({ id: ca.id, name, usedBy: ca.usedBy })}>
                    {i18n.t('common.delete')}
                  </Button>
                </div>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The CA certificates page. */
export function CaCertificatesPage() {
  const i18n = useI18n();
  const notify = useNotify();
  const cas = useCaCertificates();
  const restoreFocus = useRestoreFocusTarget();
  const [uploading, setUploading] = useState(false);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const now = useMemo(() => Date.now(), [cas.caCertificates]);

  const uploadButton = (
    <Button appearance="primary" {...restoreFocus} onClick={() => setUploading(true)}>
      {i18n.t('ca.upload')}
    </Button>
  );

  let body;
  if (cas.loading) body = <Loading />;
  else if (cas.error && !cas.data) body = <ErrorBar error={cas.error} onRetry={() => void cas.refresh()} />;
  else if (cas.caCertificates.length === 0)
    body = <EmptyState title={i18n.t('ca.empty.title')} body={i18n.t('ca.empty.body')} action={uploadButton} offlineHint />;
  else body = <CaTable caCertificates={cas.caCertificates} now={now} onDelete={setDeleting} />;

  return (
    <Page title={i18n.t('ca.title')} intro={i18n.t('ca.intro')} actions={cas.caCertificates.length > 0 ? uploadButton : undefined}>
      {body}
      <CaUploadDialog
        open={uploading}
        upload={cas.upload}
        onClose={() => setUploading(false)}
        onUploaded={(ca) => {
          setUploading(false);
          notify(i18n.t('ca.uploaded', { name: ca.commonName || ca.subject }));
        }}
      />
      <DeleteDialog
        target={deleting}
        title={i18n.t('ca.deleteTitle')}
        inUseBody={i18n.t('ca.inUseBody')}
        inUseFirstBody={i18n.t('ca.inUseFirstBody')}
        onConfirm={cas.remove}
        onClose={() => setDeleting(null)}
        onDeleted={(target) => {
          setDeleting(null);
          notify(i18n.t('ca.deleted', { name: target.name }));
        }}
      />
    </Page>
  );
}
