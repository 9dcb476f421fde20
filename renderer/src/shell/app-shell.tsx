/** The window layout: header, navigation, the current page and the status bar. */
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n';
import { ApisPage } from '../apis/apis-page';
import { CertificatesPage } from '../certificates/certificates-page';
import { Loading } from './feedback';
import { Nav } from './nav';
import { Page } from './page';
import { assertNever, useRoute, type Route } from './router';
import { StatusBar } from './status-bar';
import { useAppInfo } from './use-app-info';
import { VaultUnlock } from './vault-unlock';

const useStyles = makeStyles({
  shell: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr auto',
    gridTemplateColumns: '248px 1fr',
    gridTemplateAreas: '"header header" "nav main" "status status"',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  header: {
    gridArea: 'header',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  nav: { gridArea: 'nav', overflowY: 'auto', borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  main: { gridArea: 'main', overflow: 'auto', padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`, outlineStyle: 'none' },
  status: { gridArea: 'status' },
  skip: {
    position: 'absolute',
    left: '-9999px',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1, padding: tokens.spacingHorizontalS },
  },
});

// The two lists a window opens on are in the first chunk; every other page (and what only it uses: tabs,
// drop-downs, cards, CodeMirror) loads when first opened, so the console is interactive sooner.
const ApiPage = lazy(() => import('../apis/api-page').then((m) => ({ default: m.ApiPage })));
const CaCertificatesPage = lazy(() => import('../certificates/ca-certificates-page').then((m) => ({ default: m.CaCertificatesPage })));
const GatewayPage = lazy(() => import('../gateway/gateway-page').then((m) => ({ default: m.GatewayPage })));
const ExportPage = lazy(() => import('../export/export-page').then((m) => ({ default: m.ExportPage })));
const GlobalPolicyPage = lazy(() => import('../apis/global-policy-page').then((m) => ({ default: m.GlobalPolicyPage })));
const SettingsPage = lazy(() => import('../settings/settings-page').then((m) => ({ default: m.SettingsPage })));

function CurrentPage(props: { readonly route: Route }) {
  const i18n = useI18n();
  const { route } = props;
  switch (route.page) {
    case 'apis':
      return <ApisPage />;
    case 'api':
      return <ApiPage key={route.apiId} apiId={route.apiId} tab={route.tab} operationId={route.operationId} />;
    case 'global-policy':
      return <GlobalPolicyPage />;
    case 'client-certificates':
      return <CertificatesPage />;
    case 'ca-certificates':
      return <CaCertificatesPage />;
    case 'gateway':
      return <GatewayPage />;
    case 'export':
      return <ExportPage />;
    case 'settings':
      return <SettingsPage />;
    case 'not-found':
      return (
        <Page title={i18n.t('common.notFound')}>
          <a href="#/apis">{i18n.t('api.back')}</a>
        </Page>
      );
    default:
      return assertNever(route);
  }
}

/** The whole console. */
export function AppShell() {
  const i18n = useI18n();
  const styles = useStyles();
  const route = useRoute();
  const app = useAppInfo();
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <a className={styles.skip} href="#main" onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}>
          {i18n.t('app.skipToContent')}
        </a>
        <Text as="span" size={500} weight="semibold">
          {i18n.t('app.name')}
        </Text>
      </header>
      <div className={styles.nav}>
        <Nav route={route} />
      </div>
      <main id="main" className={styles.main} tabIndex={-1}>
        <VaultUnlock app={app} />
        <Suspense fallback={<Loading />}>
          <CurrentPage route={route} />
        </Suspense>
      </main>
      <div className={styles.status}>
        <StatusBar vault={app.data?.vault} />
      </div>
    </div>
  );
}
