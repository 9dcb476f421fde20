/** The main navigation: APIs; Security → Client certificates, CA certificates; Gateway → Export; Settings. */
import { CounterBadge, makeStyles, mergeClasses, Text, tokens, Tooltip } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { useExpiring } from '../certificates/use-expiring';
import { routeHref, type Route } from './router';

const useStyles = makeStyles({
  nav: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, padding: tokens.spacingVerticalM },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  sublist: { paddingLeft: tokens.spacingHorizontalL },
  group: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXXS}`,
    color: tokens.colorNeutralForeground3,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
  link: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  current: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    fontWeight: tokens.fontWeightSemibold,
    boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}`,
  },
});

function isCurrent(route: Route, target: Route['page']): boolean {
  return route.page === target || (target === 'apis' && (route.page === 'api' || route.page === 'global-policy'));
}

function NavLink(props: { readonly route: Route; readonly target: Route; readonly children: ReactNode }) {
  const styles = useStyles();
  const current = isCurrent(props.route, props.target.page);
  return (
    <a href={routeHref(props.target)} className={mergeClasses(styles.link, current && styles.current)} aria-current={current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

/** The expiry badge: certificates expired or expiring within 30 days, or whose chain does. */
function ExpiryBadge() {
  const i18n = useI18n();
  const { expiring } = useExpiring();
  const count = expiring.length;
  if (count === 0) return null;
  const label = i18n.tn('nav.expiring', count);
  return (
    <Tooltip content={label} relationship="description">
      <CounterBadge count={count} color="danger" size="small" aria-label={label} role="img" />
    </Tooltip>
  );
}

/** The navigation pane. */
export function Nav(props: { readonly route: Route }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { route } = props;
  return (
    <nav className={styles.nav} aria-label={i18n.t('nav.label')}>
      <ul className={styles.list}>
        <li>
          <NavLink route={route} target={{ page: 'apis' }}>
            {i18n.t('nav.apis')}
          </NavLink>
        </li>
        <li>
          <Text as="span" id="nav-security" className={styles.group}>
            {i18n.t('nav.security')}
          </Text>
          <ul className={mergeClasses(styles.list, styles.sublist)} aria-labelledby="nav-security">
            <li>
              <NavLink route={route} target={{ page: 'client-certificates' }}>
                {i18n.t('nav.clientCertificates')}
                <ExpiryBadge />
              </NavLink>
            </li>
            <li>
              <NavLink route={route} target={{ page: 'ca-certificates' }}>
                {i18n.t('nav.caCertificates')}
              </NavLink>
            </li>
          </ul>
        </li>
        <li>
          <NavLink route={route} target={{ page: 'gateway' }}>
            {i18n.t('nav.gateway')}
          </NavLink>
          <ul className={mergeClasses(styles.list, styles.sublist)} aria-label={i18n.t('nav.gateway')}>
            <li>
              <NavLink route={route} target={{ page: 'export' }}>
                {i18n.t('nav.export')}
              </NavLink>
            </li>
          </ul>
        </li>
        <li>
          <NavLink route={route} target={{ page: 'settings' }}>
            {i18n.t('nav.settings')}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
