/** APIs: the list and "Add API". */
import { Button, useRestoreFocusTarget } from '@fluentui/react-components';
import { AddRegular, ArrowImportRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useState } from 'react';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { Page } from '../shell/page';
import { navigate, routeHref } from '../shell/router';
import { AddApiDialog } from './add-api-dialog';
import { ApisTable } from './apis-table';
import { useApis } from './use-apis';

// Only opened on demand: the import dialog (and its preview) stays out of the first chunk.
const ImportOpenApiDialog = lazy(() => import('./import-openapi-dialog').then((m) => ({ default: m.ImportOpenApiDialog })));

/** The APIs page. */
export function ApisPage() {
  const i18n = useI18n();
  const notify = useNotify();
  const apis = useApis();
  const restoreFocus = useRestoreFocusTarget();
  const { status } = useGateway();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);

  const addButton = (
    <Button appearance="primary" icon={<AddRegular />} {...restoreFocus} onClick={() => setAdding(true)}>
      {i18n.t('apis.add')}
    </Button>
  );

  const importButton = (
    <Button icon={<ArrowImportRegular />} {...restoreFocus} onClick={() => setImporting(true)}>
      {i18n.t('apis.import')}
    </Button>
  );
  const globalPolicy = (
    <Button as="a" href={routeHref({ page: 'global-policy' })}>
      {i18n.t('apis.globalPolicy')}
    </Button>
  );

  let body;
  if (apis.loading) body = <Loading />;
  else if (apis.error && !apis.data) body = <ErrorBar error={apis.error} onRetry={() => void apis.refresh()} />;
  else if (apis.apis.length === 0)
    body = <EmptyState title={i18n.t('apis.empty.title')} body={i18n.t('apis.empty.body')} action={addButton} offlineHint />;
  else body = <ApisTable apis={apis.apis} />;

  return (
    <Page title={i18n.t('apis.title')} intro={i18n.t('apis.intro')} actions={
        <>
          {globalPolicy}
          {importButton}
          {apis.apis.length > 0 && addButton}
        </>
      }
    >
      {body}
      <AddApiDialog
        open={adding}
        gatewayUrl={status?.url ?? null}
        create={apis.create}
        onClose={() => setAdding(false)}
        onCreated={(api) => {
          setAdding(false);
          notify(i18n.t('apis.created', { name: api.displayName }));
          navigate({ page: 'api', apiId: api.id, tab: 'security' });
        }}
      />
      {importing && (
        <Suspense fallback={null}>
          <ImportOpenApiDialog
            open
            onClose={() => setImporting(false)}
            onImported={(result) => {
              setImporting(false);
              const counts = { created: result.created.length, updated: result.updated.length, removed: result.removed.length };
              notify(i18n.t('openapi.imported', { name: result.displayName, ...counts }));
              navigate({ page: 'api', apiId: result.apiId, tab: 'operations' });
            }}
          />
        </Suspense>
      )}
    </Page>
  );
}
