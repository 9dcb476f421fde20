/** "Policy for all APIs": the global policy, composed into every API's (and operation's) through `<base />`. */
import { Link } from '@fluentui/react-components';
import { useI18n } from '../../i18n';
import { Page } from '../shell/page';
import { routeHref } from '../shell/router';
import { PolicyPanel } from './policy-panel';
import { usePolicy } from './use-policy';

const GLOBAL = { kind: 'global' } as const;

/** The global policy's page. */
export function GlobalPolicyPage() {
  const i18n = useI18n();
  const policy = usePolicy(GLOBAL);
  return (
    <Page title={i18n.t('globalPolicy.title')} intro={i18n.t('globalPolicy.intro')}>
      <Link href={routeHref({ page: 'apis' })}>{i18n.t('api.back')}</Link>
      <PolicyPanel policy={policy} label={i18n.t('globalPolicy.editor')} />
    </Page>
  );
}
