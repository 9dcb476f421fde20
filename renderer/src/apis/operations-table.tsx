/**
 * An API's operations: method, URL template, display name (a link to the operation's page) and its credential,
 * in the order they were created (an OpenAPI import keeps the document's order), fifty a page; past one page, a
 * filter on name, id, method and template.
 */
import { Button, Field, Input, Link, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { useMemo, useState, type ReactNode } from 'react';
import type { ApiOperation } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { PAGE_SIZE, Pager } from '../certificates/pager';
import { routeHref } from '../shell/router';

const useStyles = makeStyles({
  table: { tableLayout: 'fixed', width: '100%' },
  mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  methodCol: { width: '6.5rem' },
  credentialCol: { width: '30%' },
  actionsCol: { width: '6rem' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS },
  filter: { maxWidth: '360px' },
});

/** The operations whose name, id, method or template contains `filter` (case aside). */
function matching(operations: readonly ApiOperation[], filter: string): readonly ApiOperation[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return operations;
  return operations.filter((op) => [op.displayName, op.id, op.method, op.urlTemplate].some((text) => text.toLowerCase().includes(needle)));
}

/** The method as shown: `*` is "any". */
export function methodLabel(method: string, any: string): string {
  return method === '*' ? any : method;
}

/** The table; `credential(op)` renders the operation's credential cell. */
export function OperationsTable(props: {
  readonly apiId: string;
  readonly operations: readonly ApiOperation[];
  readonly credential: (operation: ApiOperation) => ReactNode;
  readonly onEdit: (operation: ApiOperation) => void;
  readonly onDelete: (operation: ApiOperation) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => matching(props.operations, filter), [props.operations, filter]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const rows = shown.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  return (
    <>
      {props.operations.length > PAGE_SIZE && (
        <Field label={i18n.t('operations.filter')} className={styles.filter}>
          <Input
            type="search"
            value={filter}
            onChange={(_, d) => {
              setFilter(d.value);
              setPage(0);
            }}
          />
        </Field>
      )}
      <Table aria-label={i18n.t('operations.title')} size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.methodCol}>{i18n.t('operations.method')}</TableHeaderCell>
            <TableHeaderCell>{i18n.t('operations.urlTemplate')}</TableHeaderCell>
            <TableHeaderCell>{i18n.t('operations.displayName')}</TableHeaderCell>
            <TableHeaderCell className={styles.credentialCol}>{i18n.t('operations.col.policy')}</TableHeaderCell>
            <TableHeaderCell className={styles.actionsCol}>{i18n.t('operations.col.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((op) => (
            <TableRow key={op.id} data-operation-id={op.id}>
              <TableCell className={styles.mono}>{methodLabel(op.method, i18n.t('operations.anyMethod'))}</TableCell>
              <TableCell className={styles.mono}>{op.urlTemplate}</TableCell>
              <TableCell>
                <Link href={routeHref({ page: 'api', apiId: props.apiId, tab: 'operations', operationId: op.id })}>{op.displayName}</Link>
              </TableCell>
              <TableCell>{props.credential(op)}</TableCell>
              <TableCell>
                <div className={styles.actions}>
                  <Button size="small" appearance="subtle" icon={<EditRegular />} aria-label={i18n.t('operations.editLabel', { name: op.displayName })} onClick={() => props.onEdit(op)} />
                  <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={i18n.t('operations.deleteLabel', { name: op.displayName })} onClick={() => props.onDelete(op)} />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Pager page={current} pages={pages} onPage={setPage} />
    </>
  );
}
