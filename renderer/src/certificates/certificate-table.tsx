/** The client certificates table: sortable, filterable, paged; the new row is highlighted. */
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
  Tooltip,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ExpiryText } from './expiry-text';
import { Pager, PAGE_SIZE } from './pager';
import { Thumbprint } from './thumbprint';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  filter: { minWidth: '280px' },
  highlighted: {
    backgroundColor: tokens.colorPaletteLightGreenBackground1,
    boxShadow: `inset 4px 0 0 ${tokens.colorPaletteGreenBorder2}`,
    ':hover': { backgroundColor: tokens.colorPaletteLightGreenBackground1 },
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  actionsCol: { width: '260px' },
  subjectCol: { width: '26%' },
  thumbCol: { width: '26%' },
  subject: { wordBreak: 'break-word' },
});

type SortColumn = 'subject' | 'thumbprint' | 'expiry' | 'usedBy';
type SortDirection = 'ascending' | 'descending';

/** What the table shows and what its row buttons do. */
export interface CertificateTableProps {
  readonly certificates: readonly CertificateWithUsage[];
  readonly highlightId: string | null;
  readonly now: number;
  readonly onDetails: (certificate: CertificateWithUsage) => void;
  readonly onReplace: (certificate: CertificateWithUsage) => void;
  readonly onDelete: (certificate: CertificateWithUsage) => void;
}

function matches(certificate: CertificateWithUsage, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  return [certificate.subject, certificate.thumbprint, certificate.id, certificate.issuer, ...certificate.subjectAltNames].some((s) =>
    s.toLowerCase().includes(needle),
  );
}

/** The certificates table with its filter box and pager. */
export function CertificateTable(props: CertificateTableProps) {
  const i18n = useI18n();
  const styles = useStyles();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ column: SortColumn; direction: SortDirection }>({ column: 'subject', direction: 'ascending' });
  const [page, setPage] = useState(0);

  const rows = useMemo(() => {
    const collator = new Intl.Collator(i18n.locale, { sensitivity: 'base', numeric: true });
    const compare = (a: CertificateWithUsage, b: CertificateWithUsage): number => {
      switch (sort.column) {
        case 'subject':
          return collator.compare(a.commonName || a.subject, b.commonName || b.subject) || collator.compare(a.subject, b.subject);
        case 'thumbprint':
          return a.thumbprint.localeCompare(b.thumbprint);
        case 'expiry':
          return Date.parse(a.notAfter) - Date.parse(b.notAfter);
        case 'usedBy':
          return a.usedBy.length - b.usedBy.length;
      }
    };
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return props.certificates.filter((c) => matches(c, filter.trim())).sort((a, b) => sign * compare(a, b) || a.id.localeCompare(b.id));
  }, [props.certificates, filter, sort, i18n.locale]);

  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const currentPage = Math.min(page, pages - 1);

  // Show the page holding the highlighted (just uploaded) certificate.
  useEffect(() => {
    if (!props.highlightId) return;
    const index = rows.findIndex((c) => c.id === props.highlightId);
    if (index >= 0) setPage(Math.floor(index / PAGE_SIZE));
    // Only when a new certificate is highlighted or arrives, not on every re-sort or filter.
  }, [props.highlightId, props.certificates]);

  const headerCell = (column: SortColumn, label: string, className?: string) => (
    <TableHeaderCell
      className={className}
      sortDirection={sort.column === column ? sort.direction : undefined}
      onClick={() => {
        setSort((s) => ({ column, direction: s.column === column && s.direction === 'ascending' ? 'descending' : 'ascending' }));
        setPage(0);
      }}
    >
      {label}
    </TableHeaderCell>
  );

  const visible = rows.slice(currentPage * PAGE_SIZE, (currentPage + 1) * PAGE_SIZE);
  return (
    <>
      <div className={styles.toolbar}>
        <Input
          className={styles.filter}
          type="search"
          aria-label={i18n.t('certs.filter')}
          placeholder={i18n.t('certs.filterPlaceholder')}
          value={filter}
          onChange={(_, data) => {
            setFilter(data.value);
            setPage(0);
          }}
        />
        <Text aria-live="polite">{i18n.tn('certs.count', rows.length)}</Text>
      </div>
      {rows.length === 0 ? (
        <Text as="p">{i18n.t('certs.noMatch', { filter: filter.trim() })}</Text>
      ) : (
        <Table sortable aria-label={i18n.t('certs.title')} size="small">
          <TableHeader>
            <TableRow>
              {headerCell('subject', i18n.t('certs.col.subject'), styles.subjectCol)}
              {headerCell('thumbprint', i18n.t('certs.col.thumbprint'), styles.thumbCol)}
              {headerCell('expiry', i18n.t('certs.col.expiry'))}
              {headerCell('usedBy', i18n.t('certs.col.usedBy'))}
              <TableHeaderCell className={styles.actionsCol}>{i18n.t('certs.col.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {visible.map((certificate) => (
              <CertificateRow
                key={certificate.id}
                certificate={certificate}
                highlighted={certificate.id === props.highlightId}
                highlightClass={styles.highlighted}
                actionsClass={styles.actions}
                subjectClass={styles.subject}
                now={props.now}
                onDetails={props.onDetails}
                onReplace={props.onReplace}
                onDelete={props.onDelete}
              />
            ))}
          </TableBody>
        </Table>
      )}
      <Pager page={currentPage} pages={pages} onPage={setPage} />
    </>
  );
}

/**
 * One row. Memoised: the page re-renders as its other data arrives (expiry, rotations, APIs), and 50 rows of
 * Fluent components are the costly part; a row renders again only when its own props change.
 */
const CertificateRow = memo(function CertificateRow(props: {
  readonly certificate: CertificateWithUsage;
  readonly highlighted: boolean;
  readonly highlightClass: string;
  readonly actionsClass: string;
  readonly subjectClass: string;
  readonly now: number;
  readonly onDetails: (certificate: CertificateWithUsage) => void;
  readonly onReplace: (certificate: CertificateWithUsage) => void;
  readonly onDelete: (certificate: CertificateWithUsage) => void;
}) {
  const i18n = useI18n();
  // Dialogs opened from this row give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const row = useRef<HTMLTableRowElement>(null);
  const { certificate } = props;
  useEffect(() => {
    if (props.highlighted) row.current?.scrollIntoView({ block: 'nearest' });
  }, [props.highlighted]);
  const name = certificate.commonName || certificate.subject;
  return (
    <TableRow
      ref={row}
      className={mergeClasses(props.highlighted && 'cg-row-highlighted', props.highlighted && props.highlightClass)}
      data-certificate-id={certificate.id}
      data-highlighted={props.highlighted ? 'true' : undefined}
    >
      <TableCell>
        <TableCellLayout className={props.subjectClass} description={certificate.subject !== name ? certificate.subject : undefined}>
          {name}{' '}
          {props.highlighted && (
            <Badge appearance="tint" color="success" size="small">
              {i18n.t('certs.newRow')}
            </Badge>
          )}
        </TableCellLayout>
      </TableCell>
      <TableCell>
        <Thumbprint value={certificate.thumbprint} />
      </TableCell>
      <TableCell>
        <ExpiryText notAfter={certificate.notAfter} now={props.now} />
      </TableCell>
      <TableCell>
        {certificate.usedBy.length === 0 ? (
          <Text>{i18n.t('certs.notUsed')}</Text>
        ) : (
          <Tooltip content={certificate.usedBy.map((u) => u.apiName).join(', ')} relationship="description">
            <Button appearance="transparent" size="small" {...restoreFocus} onClick={() => props.onDetails(certificate)}>
              {i18n.tn('certs.usedBy', certificate.usedBy.length)}
            </Button>
          </Tooltip>
        )}
      </TableCell>
      <TableCell>
        <div className={props.actionsClass}>
          <Button size="small" {...restoreFocus} aria-label={i18n.t('certs.detailsLabel', { name })} onClick={() => props.onDetails(certificate)}>
            {i18n.t('common.details')}
          </Button>
          <Button size="small" {...restoreFocus} aria-label={i18n.t('certs.replaceLabel', { name })} onClick={() => props.onReplace(certificate)}>
            {i18n.t('certs.replace')}
          </Button>
          <Button size="small" {...restoreFocus} aria-label={i18n.t('certs.deleteLabel', { name })} onClick={() => props.onDelete(certificate)}>
            {i18n.t('common.delete')}
          </Button>
        </div>
      </TableCell>
    </TableRow>
  );
});
