/** The certificates table's state: the filter, the sort, the page, and the rows they select. */
import { useEffect, useMemo, useState } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { PAGE_SIZE } from './pager';

/** A sortable column. */
export type SortColumn = 'subject' | 'thumbprint' | 'expiry' | 'usedBy';

/** The sort order of a column. */
export type SortDirection = 'ascending' | 'descending';

/** What the table renders and how it changes its state. */
export interface CertificateTableState {
  readonly filter: string;
  readonly sort: { readonly column: SortColumn; readonly direction: SortDirection };
  /** Every row that passes the filter, sorted. */
  readonly rows: readonly CertificateWithUsage[];
  /** The rows of the current page. */
  readonly visible: readonly CertificateWithUsage[];
  readonly page: number;
  readonly pages: number;
  setFilter(value: string): void;
  toggleSort(column: SortColumn): void;
  setPage(page: number): void;
}

function matches(certificate: CertificateWithUsage, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  return [certificate.subject, certificate.thumbprint, certificate.id, certificate.issuer, ...certificate.subjectAltNames].some((s) =>
    s.toLowerCase().includes(needle),
  );
}

function comparator(column: SortColumn, collator: Intl.Collator): (a: CertificateWithUsage, b: CertificateWithUsage) => number {
  switch (column) {
    case 'subject':
      return (a, b) => collator.compare(a.commonName || a.subject, b.commonName || b.subject) || collator.compare(a.subject, b.subject);
    case 'thumbprint':
      return (a, b) => a.thumbprint.localeCompare(b.thumbprint);
    case 'expiry':
      return (a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter);
    case 'usedBy':
      return (a, b) => a.usedBy.length - b.usedBy.length;
  }
}

/** State for the table of `certificates`; the page follows `highlightId` (a certificate just uploaded). */
export function useCertificateTable(certificates: readonly CertificateWithUsage[], highlightId: string | null): CertificateTableState {
  const i18n = useI18n();
  const [filter, setFilterValue] = useState('');
  const [sort, setSort] = useState<CertificateTableState['sort']>({ column: 'subject', direction: 'ascending' });
  const [page, setPage] = useState(0);

  // Sorted once per list, sort order or language; a keystroke in the filter only filters the sorted rows (issue 13:
  // with 1,000 certificates, building a collator and sorting again on each keystroke delayed the answer).
  const collator = useMemo(() => new Intl.Collator(i18n.locale, { sensitivity: 'base', numeric: true }), [i18n.locale]);
  const sorted = useMemo(() => {
    const compare = comparator(sort.column, collator);
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...certificates].sort((a, b) => sign * compare(a, b) || a.id.localeCompare(b.id));
  }, [certificates, sort, collator]);
  const rows = useMemo(() => {
    const needle = filter.trim();
    return needle === '' ? sorted : sorted.filter((c) => matches(c, needle));
  }, [sorted, filter]);

  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const currentPage = Math.min(page, pages - 1);

  // Show the page holding the highlighted (just uploaded) certificate.
  useEffect(() => {
    if (!highlightId) return;
    const index = rows.findIndex((c) => c.id === highlightId);
    if (index >= 0) setPage(Math.floor(index / PAGE_SIZE));
    // Only when a new certificate is highlighted or arrives, not on every re-sort or filter.
  }, [highlightId, certificates]);

  return {
    filter,
    sort,
    rows,
    visible: rows.slice(currentPage * PAGE_SIZE, (currentPage + 1) * PAGE_SIZE),
    page: currentPage,
    pages,
    setFilter(value) {
      setFilterValue(value);
      setPage(0);
    },
    toggleSort(column) {
      setSort((s) => ({ column, direction: s.column === column && s.direction === 'ascending' ? 'descending' : 'ascending' }));
      setPage(0);
    },
    setPage,
  };
}
