/** One API: its gateway URL and the tabs Settings, Operations, Security, Policies, Test. */
import { Link, makeStyles, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import type { Api } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';
import { ErrorBar, Loading } from '../shell/feedback';
import { Page } from '../shell/page';
import { apiTabs, assertNever, navigate, routeHref, type ApiTab } from '../shell/router';
import { ApiSettingsTab } from './api-settings-tab';
import { PoliciesTab } from './policies-tab';
import { SecurityTab } from './security-tab';
import { TestTab } from './test-tab';
import { useApi, type ApiState } from './use-apis';

const useStyles = makeStyles({
  // Never broken inside (a port split over two lines reads as two numbers): the whole URL moves to the next line.
  url: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'nowrap' },
  panel: { paddingTop: tokens.spacingVerticalL, outlineStyle: 'none' },
});

/** The gateway URL that reaches an API. */
function apiGatewayUrl(gatewayUrl: string | null | undefined, api: Pick<Api, 'path'>): string | null {
  if (!gatewayUrl) return null;
  const base = gatewayUrl.replace(/\/+$/, '');
  return api.path === '' ? `${base}/` : `${base}/${api.path}`;
}

// Opened on demand: operations (and the OpenAPI-sized lists they can be) are not needed to show the page.
const OperationsTab = lazy(() => import('./operations-tab').then((m) => ({ default: m.OperationsTab })));

/** The content of one tab. */
function ApiTabPanel(props: {
  readonly api: Api;
  readonly apiState: ApiState;
  readonly tab: ApiTab;
  readonly operationId: string | undefined;
  readonly gatewayUrl: string | null;
}) {
  const { api } = props;
  switch (props.tab) {
    case 'settings':
      return <ApiSettingsTab api={api} update={props.apiState.update} remove={props.apiState.remove} />;
    case 'operations':
      return <OperationsTab api={api} operationId={props.operationId} />;
    case 'security':
      return <SecurityTab api={api} />;
    case 'policies':
      return <PoliciesTab apiId={api.id} />;
    case 'test':
      return <TestTab api={api} gatewayUrl={props.gatewayUrl} />;
    default:
      return assertNever(props.tab);
  }
}

/** The API page for one API and tab (and, on the Operations tab, maybe one operation). */
export function ApiPage(props: { readonly apiId: string; readonly tab: ApiTab; readonly operationId?: string | undefined }) {
  const i18n = useI18n();
  const styles = useStyles();
  const api = useApi(props.apiId);
  const { status } = useGateway();
  const back = <Link href={routeHref({ page: 'apis' })}>{i18n.t('api.back')}</Link>;

  if (api.loading) {
    return (
      <Page title={props.apiId}>
        {back}
        <Loading />
      </Page>
    );
  }
  if (!api.data) {
    return (
      <Page title={props.apiId}>
        {back}
        {api.error && <ErrorBar error={api.error} onRetry={() => void api.refresh()} />}
      </Page>
    );
  }

  const data = api.data;
  const url = apiGatewayUrl(status?.url, data);
  const tabLabel = (tab: ApiTab): string => i18n.t(`api.tab.${tab}`);
  return (
    <Page
      title={data.displayName}
      intro={
        url && i18n.rich('api.gatewayUrl', { url: <span className={styles.url}>{url}</span> })
      }
    >
      {back}
      {api.error && <ErrorBar error={api.error} onRetry={() => void api.refresh()} />}
      <TabList
        selectedValue={props.tab}
        onTabSelect={(_, d) => navigate({ page: 'api', apiId: data.id, tab: d.value as ApiTab })}
        aria-label={i18n.t('api.tabs')}
      >
        {apiTabs.map((tab) => (
          <Tab key={tab} value={tab} id={`api-tab-${tab}`} aria-controls="api-tab-panel">
            {tabLabel(tab)}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" id="api-tab-panel" aria-labelledby={`api-tab-${props.tab}`} className={styles.panel}>
        <Text as="h2" size={500} weight="semibold">
          {tabLabel(props.tab)}
        </Text>
        <Suspense fallback={<Loading />}>
          <ApiTabPanel api={data} apiState={api} tab={props.tab} operationId={props.operationId} gatewayUrl={url} />
        </Suspense>
      </div>
    </Page>
  );
}
