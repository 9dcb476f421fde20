/**
 * The live traffic table with its filters: API, status class, errors only. The certificate column names the
 * version a call presented (`client1-v3`: a linked certificate's renewals and rotations raise it).
 */
import {
  Checkbox,
  Field,
  makeStyles,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { Api, TrafficEntry } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { lastFour } from '../certificates/thumbprint';

const useStyles = makeStyles({
  filters: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'end', flexWrap: 'wrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  error: { color: tokens.colorPaletteRedForeground1 },
  last4: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightBold },
});

const statusClasses = ['2xx', '3xx', '4xx', '5xx'] as const;
type StatusClass = (typeof statusClasses)[number] | 'all';

/** Rows rendered at most (the log itself keeps more). */
const SHOWN = 200;

/** True when an entry passes the filters. */
function passes(entry: TrafficEntry, filter: { apiId: string; statusClass: StatusClass; errorsOnly: boolean }): boolean {
  if (filter.apiId !== '' && entry.apiId !== filter.apiId) return false;
  if (filter.statusClass !== 'all' && `${Math.floor(entry.status / 100)}xx` !== filter.statusClass) return false;
  if (filter.errorsOnly && entry.errorCode === null && entry.status < 400) return false;
  return true;
}

type Styles = ReturnType<typeof useStyles>;

/** The certificate a call presented, as "id-vN" (an id that already names its version is kept). */
export function certificateLabel(entry: Pick<TrafficEntry, 'certificateId' | 'certificateVersion'>): string {
  const id = entry.certificateId ?? '';
  const version = entry.certificateVersion;
  if (version === null || version === undefined || id.endsWith(`-v${version}`)) return id;
  return `${id}-v${version}`;
}

/** The filters' state. */
function useTrafficFilters(entries: readonly TrafficEntry[]) {
  const [apiId, setApiId] = useState('');
  const [statusClass, setStatusClass] = useState<StatusClass>('all');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const rows = entries.filter((e) => passes(e, { apiId, statusClass, errorsOnly }));
  return { apiId, setApiId, statusClass, setStatusClass, errorsOnly, setErrorsOnly, rows };
}

/** The table. */
export function TrafficTable(props: { readonly entries: readonly TrafficEntry[]; readonly apis: readonly Api[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const filters = useTrafficFilters(props.entries);
  const names = useMemo(() => new Map(props.apis.map((a) => [a.id, a.displayName])), [props.apis]);
  const { rows } = filters;

  return (
    <>
      <TrafficFilters filters={filters} apis={props.apis} shown={Math.min(rows.length, SHOWN)} styles={styles} />
      {props.entries.length === 0 ? (
        <Text as="p">{i18n.t('gateway.traffic.empty')}</Text>
      ) : rows.length === 0 ? (
        <Text as="p">{i18n.t('gateway.traffic.noMatch')}</Text>
      ) : (
        <Table aria-label={i18n.t('gateway.traffic')} size="extra-small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{i18n.t('gateway.col.time')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.method')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.path')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.api')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.status')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.duration')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.certificate')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.handshake')}</TableHeaderCell>
              <TableHeaderCell>{i18n.t('gateway.col.error')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.slice(0, SHOWN).map((e) => (
              <TrafficRow key={e.requestId} entry={e} apiName={e.apiId ? (names.get(e.apiId) ?? e.apiId) : '—'} styles={styles} />
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

function TrafficFilters(props: { readonly filters: ReturnType<typeof useTrafficFilters>; readonly apis: readonly Api[]; readonly shown: number; readonly styles: Styles }) {
  const i18n = useI18n();
  const { filters } = props;
  return (
    <div className={props.styles.filters}>
      <Field label={i18n.t('gateway.filter.api')}>
        <Select value={filters.apiId} onChange={(_, d) => filters.setApiId(d.value)}>
          <option value="">{i18n.t('gateway.filter.allApis')}</option>
          {props.apis.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={i18n.t('gateway.filter.status')}>
        <Select value={filters.statusClass} onChange={(_, d) => filters.setStatusClass(d.value as StatusClass)}>
          <option value="all">{i18n.t('gateway.filter.allStatuses')}</option>
          {statusClasses.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      </Field>
      <Checkbox label={i18n.t('gateway.filter.errorsOnly')} checked={filters.errorsOnly} onChange={(_, d) => filters.setErrorsOnly(d.checked === true)} />
      <Text aria-live="polite">{i18n.tn('gateway.traffic.count', props.shown)}</Text>
    </div>
  );
}

function TrafficRow(props: { readonly entry: TrafficEntry; readonly apiName: string; readonly styles: Styles }) {
  const i18n = useI18n();
  const { entry: e, styles } = props;
  return (
    <TableRow>
      <TableCell>
        <time dateTime={e.time}>{i18n.formatTime(e.time)}</time>
      </TableCell>
      <TableCell>{e.method}</TableCell>
      <TableCell className={styles.mono}>{e.path}</TableCell>
      <TableCell>{props.apiName}</TableCell>
      <TableCell className={e.status >= 400 ? styles.error : undefined}>{e.status}</TableCell>
      <TableCell>{i18n.t('test.timeValue', { ms: Math.round(e.durationMs) })}</TableCell>
      <TableCell>
        {e.thumbprint ? (
          <>
            {certificateLabel(e)} <strong className={styles.last4}>…{lastFour(e.thumbprint)}</strong>
          </>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>{e.handshake ? i18n.t(`gateway.handshake.${e.handshake}`) : '—'}</TableCell>
      <TableCell className={e.errorCode ? styles.error : undefined}>{e.errorCode ?? '—'}</TableCell>
    </TableRow>
  );
}
