/** The APIs table: name (a link to the API), URL suffix, web service URL and credentials, sorted by name. */
import { Link, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { Api } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { routeHref } from '../shell/router';
import { CredentialsCell } from './credentials-cell';
import { useApiCredentials } from './use-api-credentials';

const useStyles = makeStyles({
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  credentialsCol: { width: '32%' },
});

/** The list of APIs. */
export function ApisTable(props: { readonly apis: readonly Api[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const credentials = useApiCredentials();
  const now = useMemo(() => Date.now(), [credentials]);
  const sorted = useMemo(
    () => [...props.apis].sort((a, b) => a.displayName.localeCompare(b.displayName, i18n.locale)),
    [props.apis, i18n.locale],
  );
  return (
    <Table aria-label={i18n.t('apis.title')} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{i18n.t('apis.col.name')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('apis.col.path')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('apis.col.serviceUrl')}</TableHeaderCell>
          <TableHeaderCell className={styles.credentialsCol}>{i18n.t('apis.col.credentials')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((api) => (
          <TableRow key={api.id}>
            <TableCell>
              <Link href={routeHref({ page: 'api', apiId: api.id, tab: 'settings' })}>{api.displayName}</Link>
            </TableCell>
            <TableCell className={styles.mono}>/{api.path}</TableCell>
            <TableCell className={styles.mono}>{api.serviceUrl}</TableCell>
            <TableCell>
              <CredentialsCell entry={credentials.get(api.id)} now={now} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
