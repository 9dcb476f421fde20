/**
 * The client certificates table: sortable, filterable, paged; the new row is highlighted. Laid out to fit a
 * 1024x700 window in English and French: fixed widths for expiry, usage and actions (their text never wraps
 * a word a line; the actions sit on one line), the thumbprint wraps inside its column, and the subject takes
 * the rest, truncated with the full subject on hover. Rows stay as light as before (no tooltip or copy button per row): 50 render on every
 * sort and page; the details dialog has the copy buttons.
 */
import {
  Badge,
  Button,
  Input,
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { ArrowSwapRegular, DeleteRegular } from '@fluentui/react-icons';
import { memo, useEffect, useRef } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ExpiryText } from './expiry-text';
import { LinkIcon } from './link-state';
import { Pager } from './pager';
import { Thumbprint } from './thumbprint';
import { useCertificateTable, type CertificateTableState, type SortColumn } from './use-certificate-table';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  filter: { minWidth: '280px' },
  highlighted: {
    backgroundColor: tokens.colorPaletteLightGreenBackground1,
    boxShadow: `inset 4px 0 0 ${tokens.colorPaletteGreenBorder2}`,
    ':hover': { backgroundColor: tokens.colorPaletteLightGreenBackground1 },
  },
  actions: { display: 'flex', flexWrap: 'nowrap', gap: tokens.spacingHorizontalXS },
  // Column widths: the subject column takes what is left (table-layout is fixed, which takes lengths and
  // percentages but not clamp()).
  // Widths are the content's; each cell adds 16px of padding. 20% holds 20 monospace characters at 1024 px (two lines).
  thumbCol: { width: '20%' },
  expiryCol: { width: '9.5rem' },
  usedByCol: { width: '6.5rem' },
  // Details in words (a small button's 64px minimum holds "Détails") and two 24px icon buttons.
  actionsCol: { width: '8rem' },
  header: { whiteSpace: 'nowrap' },
  subjectCell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  subject: { minWidth: 0 },
  fullSubject: { display: 'block', overflowX: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
  nowrap: { whiteSpace: 'nowrap' },
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
                styles={styles}
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

interface RowProps {
  readonly certificate: CertificateWithUsage;
  readonly highlighted: boolean;
  readonly styles: Styles;
  readonly now: number;
  readonly onDetails: (certificate: CertificateWithUsage) => void;
  readonly onReplace: (certificate: CertificateWithUsage) => void;
  readonly onDelete: (certificate: CertificateWithUsage) => void;
}

/**
 * One row. Memoised: the page re-renders as its other data arrives (expiry, rotations, APIs), and 50 rows of
 * Fluent components are the costly part; a row renders again only when its own props change.
 */
const CertificateRow = memo(function CertificateRow(props: RowProps) {
  const row = useRef<HTMLTableRowElement>(null);
  const { certificate, styles } = props;
  useEffect(() => {
    if (props.highlighted) row.current?.scrollIntoView({ block: 'nearest' });
  }, [props.highlighted]);
  const name = certificate.commonName || certificate.subject;
  return (
    <TableRow
      ref={row}
      className={mergeClasses(props.highlighted && 'cg-row-highlighted', props.highlighted && styles.highlighted)}
      data-certificate-id={certificate.id}
      data-highlighted={props.highlighted ? 'true' : undefined}
    >
      <SubjectCell certificate={certificate} name={name} highlighted={props.highlighted} styles={styles} />
      <TableCell>
        <Thumbprint value={certificate.thumbprint} />
      </TableCell>
      <TableCell>
        <ExpiryText notAfter={certificate.notAfter} now={props.now} />
      </TableCell>
      <UsedByCell certificate={certificate} styles={styles} onDetails={props.onDetails} />
      <ActionsCell {...props} name={name} />
    </TableRow>
  );
});

function SubjectCell(props: { readonly certificate: CertificateWithUsage; readonly name: string; readonly highlighted: boolean; readonly styles: Styles }) {
  const i18n = useI18n();
  const { certificate, name } = props;
  return (
    <TableCell>
      <div className={props.styles.subjectCell}>
      {/* The native title, not a Fluent Tooltip: 50 rows render on every sort and page, and it costs nothing. */}
      <TableCellLayout
        truncate
        title={certificate.subject}
        className={mergeClasses('cg-subject', props.styles.subject)}
        description={certificate.subject !== name ? { children: certificate.subject, className: mergeClasses('cg-subject-full', props.styles.fullSubject) } : undefined}
      >
        {name}
      </TableCellLayout>
      <LinkIcon certificate={certificate} />
      {props.highlighted && (
        <Badge appearance="tint" color="success" size="small">
          {i18n.t('certs.newRow')}
        </Badge>
      )}
      </div>
    </TableCell>
  );
}

function UsedByCell(props: { readonly certificate: CertificateWithUsage; readonly styles: Styles; readonly onDetails: RowProps['onDetails'] }) {
  const i18n = useI18n();
  const restoreFocus = useRestoreFocusTarget();
  const { certificate } = props;
  return (
    <TableCell className={props.styles.nowrap}>
      {certificate.usedBy.length === 0 ? (
        <Text>{i18n.t('certs.notUsed')}</Text>
      ) : (
        // The API names in the native title (read as the button's description), not a Fluent Tooltip: 50 rows
        // render on every load, sort and page, and a Tooltip per row is among their costliest parts (issue 13).
        <Button
          appearance="transparent"
          size="small"
          {...restoreFocus}
          title={certificate.usedBy.map((u) => u.apiName).join(', ')}
          onClick={() => props.onDetails(certificate)}
        >
          {i18n.tn('certs.usedBy', certificate.usedBy.length)}
        </Button>
      )}
    </TableCell>
  );
}

/**
 * Details (the row's main action) in words; Replace and Delete as icon buttons named by their aria-label, with
 * the word in the native title on hover: the three stay on one line at 1024 px in English and French.
 */
function ActionsCell(props: RowProps & { readonly name: string }) {
  const i18n = useI18n();
  // Dialogs opened from this row give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const { certificate, name } = props;
  return (
    <TableCell>
      <div className={props.styles.actions}>
        <Button size="small" {...restoreFocus} aria-label={i18n.t('certs.detailsLabel', { name })} onClick={() => props.onDetails(certificate)}>
          {i18n.t('common.details')}
        </Button>
        <Button
          size="small"
          icon={<ArrowSwapRegular />}
          {...restoreFocus}
          title={i18n.t('certs.replace')}
          aria-label={i18n.t('certs.replaceLabel', { name })}
          onClick={() => props.onReplace(certificate)}
        />
        <Button
          size="small"
          icon={<DeleteRegular />}
          {...restoreFocus}
          title={i18n.t('common.delete')}
          aria-label={i18n.t('certs.deleteLabel', { name })}
          onClick={() => props.onDelete(certificate)}
        />
      </div>
    </TableCell>
  );
}
