/**
 * The client certificates table: sortable, filterable, paged; the new row is highlighted. Laid out to fit a
 * 1024x700 window in English and French: fixed widths for expiry, usage and actions (their text never wraps
 * a word a line; the actions sit on one line), the thumbprint wraps inside its column, and the subject takes
 * the rest, truncated with the full subject on hover. The header is Fluent's; the 50 rows rendered on every
 * load, sort and page are native elements (certificate-row.tsx); the details dialog has the copy buttons.
 */
import {
  Input,
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { CertificateRow, useRowStyles } from './certificate-row';
import { Pager } from './pager';
import { useCertificateTable, type CertificateTableState, type SortColumn } from './use-certificate-table';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  filter: { minWidth: '280px' },
  // Column widths: the subject column takes what is left (table-layout is fixed, which takes lengths and
  // percentages but not clamp()).
  // Widths are the content's; each cell adds 16px of padding. 20% holds 20 monospace characters at 1024 px (two lines).
  thumbCol: { width: '20%' },
  expiryCol: { width: '9.5rem' },
  usedByCol: { width: '6.5rem' },
  // Details in words (a small button's 64px minimum holds "Détails") and two 24px icon buttons.
  actionsCol: { width: '8rem' },
  header: { whiteSpace: 'nowrap' },
});

type Styles = ReturnType<typeof useStyles>;

/** What the table shows and what its row buttons do. */
export interface CertificateTableProps {
  readonly certificates: readonly CertificateWithUsage[];
  readonly highlightId: string | null;
  readonly now: number;
  readonly onDetails: (certificate: CertificateWithUsage) => void;
  readonly onReplace: (certificate: CertificateWithUsage) => void;
  readonly onDelete: (certificate: CertificateWithUsage) => void;
}

/** The certificates table with its filter box and pager. */
export function CertificateTable(props: CertificateTableProps) {
  const i18n = useI18n();
  const styles = useStyles();
  const rowStyles = useRowStyles();
  // Dialogs opened from a row give focus back to the button that opened them (one attribute for every row).
  const restoreFocus = useRestoreFocusTarget();
  const table = useCertificateTable(props.certificates, props.highlightId);
  return (
    <>
      <div className={styles.toolbar}>
        <Input
          className={styles.filter}
          type="search"
          aria-label={i18n.t('certs.filter')}
          placeholder={i18n.t('certs.filterPlaceholder')}
          value={table.filter}
          onChange={(_, data) => table.setFilter(data.value)}
        />
        <Text aria-live="polite">{i18n.tn('certs.count', table.rows.length)}</Text>
      </div>
      {table.rows.length === 0 ? (
        <Text as="p">{i18n.t('certs.noMatch', { filter: table.filter.trim() })}</Text>
      ) : (
        <Table sortable aria-label={i18n.t('certs.title')} size="small">
          <TableHeader>
            <HeaderRow table={table} styles={styles} />
          </TableHeader>
          <TableBody>
            {table.visible.map((certificate) => (
              <CertificateRow
                key={certificate.id}
                certificate={certificate}
                highlighted={certificate.id === props.highlightId}
                styles={rowStyles}
                restoreFocus={restoreFocus}
                now={props.now}
                onDetails={props.onDetails}
                onReplace={props.onReplace}
                onDelete={props.onDelete}
              />
            ))}
          </TableBody>
        </Table>
      )}
      <Pager page={table.page} pages={table.pages} onPage={table.setPage} />
    </>
  );
}

function HeaderRow(props: { readonly table: CertificateTableState; readonly styles: Styles }) {
  const i18n = useI18n();
  const { table, styles } = props;
  const cell = (column: SortColumn, label: string, className?: string) => (
    <TableHeaderCell
      className={mergeClasses(styles.header, className)}
      sortDirection={table.sort.column === column ? table.sort.direction : undefined}
      onClick={() => table.toggleSort(column)}
    >
      {label}
    </TableHeaderCell>
  );
  return (
    <TableRow>
      {cell('subject', i18n.t('certs.col.subject'))}
      {cell('thumbprint', i18n.t('certs.col.thumbprint'), styles.thumbCol)}
      {cell('expiry', i18n.t('certs.col.expiry'), styles.expiryCol)}
      {cell('usedBy', i18n.t('certs.col.usedBy'), styles.usedByCol)}
      <TableHeaderCell className={mergeClasses(styles.header, styles.actionsCol)}>{i18n.t('certs.col.actions')}</TableHeaderCell>
    </TableRow>
  );
}
