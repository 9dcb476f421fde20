/**
 * One row of the certificates table, in native `tr`, `td` and `button` elements styled once per table with
 * the look of Fluent's small TableRow, TableCell and Button (their makeStyles values, copied below). Fluent's
 * components run hooks, slots and focus attributes per instance, and 50 rows render on every load, sort and
 * page: native rows brought the rows of `npx tsx bench/ui-bench.ts` (1,000 certificates) 4-12 % sooner (issue 13).
 * What the rows keep: the buttons' names and titles, the native title on a truncated subject, the classes
 * and data attributes the tests and the page read, and focus given back to the button that opened a dialog.
 */
import { Badge, makeStyles, mergeClasses, shorthands, tokens, type useRestoreFocusTarget } from '@fluentui/react-components';
import { ArrowSwapRegular, DeleteRegular } from '@fluentui/react-icons';
import { memo, useEffect, useRef, type ReactElement } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ExpiryText } from './expiry-text';
import { LinkIcon } from './link-state';
import { Thumbprint } from './thumbprint';

/** Fluent's small table and button looks, as classes shared by every row (see the header comment). */
export const useRowStyles = makeStyles({
  row: {
    color: tokens.colorNeutralForeground1,
    boxSizing: 'border-box',
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover, color: tokens.colorNeutralForeground1Hover },
  },
  highlighted: {
    backgroundColor: tokens.colorPaletteLightGreenBackground1,
    boxShadow: `inset 4px 0 0 ${tokens.colorPaletteGreenBorder2}`,
    ':hover': { backgroundColor: tokens.colorPaletteLightGreenBackground1 },
  },
  cell: { display: 'table-cell', verticalAlign: 'middle', height: '34px', position: 'relative', padding: `0 ${tokens.spacingHorizontalS}` },
  nowrap: { whiteSpace: 'nowrap' },
  subjectCell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  subject: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowX: 'hidden' },
  name: { overflowX: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
  fullSubject: {
    display: 'block',
    overflowX: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
  },
  actions: { display: 'flex', flexWrap: 'nowrap', gap: tokens.spacingHorizontalXS },
  button: {
    alignItems: 'center',
    boxSizing: 'border-box',
    display: 'inline-flex',
    justifyContent: 'center',
    verticalAlign: 'middle',
    margin: 0,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    fontFamily: tokens.fontFamilyBase,
    minWidth: '64px',
    padding: `3px ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightRegular,
    lineHeight: tokens.lineHeightBase200,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover, ...shorthands.borderColor(tokens.colorNeutralStroke1Hover), color: tokens.colorNeutralForeground1Hover },
    ':hover:active': { backgroundColor: tokens.colorNeutralBackground1Pressed, ...shorthands.borderColor(tokens.colorNeutralStroke1Pressed) },
    '@media (forced-colors: active)': { ':hover': { ...shorthands.borderColor('Highlight'), color: 'Highlight', forcedColorAdjust: 'none' } },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px', zIndex: 1 },
  },
  transparent: {
    backgroundColor: tokens.colorTransparentBackground,
    ...shorthands.borderColor('transparent'),
    color: tokens.colorNeutralForeground2,
    ':hover': { backgroundColor: tokens.colorTransparentBackgroundHover, ...shorthands.borderColor('transparent'), color: tokens.colorNeutralForeground2BrandHover },
    ':hover:active': { backgroundColor: tokens.colorTransparentBackgroundPressed, ...shorthands.borderColor('transparent') },
  },
  iconOnly: { padding: '1px', minWidth: '24px', maxWidth: '24px', fontSize: '20px' },
  icon: { display: 'inline-flex', width: '20px', height: '20px', fontSize: '20px', alignItems: 'center', justifyContent: 'center' },
});

type RowStyles = ReturnType<typeof useRowStyles>;

/** What a row shows and what its buttons do; `styles` and `restoreFocus` are made once by the table. */
export interface CertificateRowProps {
  readonly certificate: CertificateWithUsage;
  readonly highlighted: boolean;
  readonly now: number;
  readonly styles: RowStyles;
  /** Tabster's attribute by which a dialog opened from this row gives focus back to its button. */
  readonly restoreFocus: ReturnType<typeof useRestoreFocusTarget>;
  readonly onDetails: (certificate: CertificateWithUsage) => void;
  readonly onReplace: (certificate: CertificateWithUsage) => void;
  readonly onDelete: (certificate: CertificateWithUsage) => void;
}

/**
 * One row. Memoised: the page re-renders as its other data arrives (expiry, rotations, APIs); a row renders
 * again only when its own props change.
 */
export const CertificateRow = memo(function CertificateRow(props: CertificateRowProps) {
  const i18n = useI18n();
  const row = useRef<HTMLTableRowElement>(null);
  const { certificate: c, styles, restoreFocus } = props;
  useEffect(() => {
    if (props.highlighted) row.current?.scrollIntoView({ block: 'nearest' });
  }, [props.highlighted]);
  const name = c.commonName || c.subject;
  return (
    <tr
      ref={row}
      className={mergeClasses(styles.row, props.highlighted && 'cg-row-highlighted', props.highlighted && styles.highlighted)}
      data-certificate-id={c.id}
      data-highlighted={props.highlighted ? 'true' : undefined}
    >
      <td className={styles.cell}>
        <div className={styles.subjectCell}>
          <div className={mergeClasses('cg-subject', styles.subject)} title={c.subject}>
            <span className={mergeClasses('cg-subject-name', styles.name)}>{name}</span>
            {c.subject !== name && <span className={mergeClasses('cg-subject-full', styles.fullSubject)}>{c.subject}</span>}
          </div>
          <LinkIcon certificate={c} />
          {props.highlighted && (
            <Badge appearance="tint" color="success" size="small">
              {i18n.t('certs.newRow')}
            </Badge>
          )}
        </div>
      </td>
      <td className={styles.cell}>
        <Thumbprint value={c.thumbprint} />
      </td>
      <td className={styles.cell}>
        <ExpiryText notAfter={c.notAfter} now={props.now} />
      </td>
      <td className={mergeClasses(styles.cell, styles.nowrap)}>
        {c.usedBy.length === 0 ? (
          i18n.t('certs.notUsed')
        ) : (
          // The API names in the native title (read as the button's description), not a Tooltip per row.
          <button
            type="button"
            className={mergeClasses(styles.button, styles.transparent)}
            {...restoreFocus}
            title={c.usedBy.map((u) => u.apiName).join(', ')}
            onClick={() => props.onDetails(c)}
          >
            {i18n.tn('certs.usedBy', c.usedBy.length)}
          </button>
        )}
      </td>
      <ActionsCell {...props} name={name} />
    </tr>
  );
});

/** Details in words (the row's main action); Replace and Delete as icons named by their aria-label. */
function ActionsCell(props: CertificateRowProps & { readonly name: string }) {
  const i18n = useI18n();
  const { certificate: c, styles, restoreFocus, name } = props;
  const icon = (title: string, label: string, glyph: ReactElement, onClick: () => void) => (
    <button type="button" className={mergeClasses(styles.button, styles.iconOnly)} {...restoreFocus} title={title} aria-label={label} onClick={onClick}>
      {glyph}
    </button>
  );
  return (
    <td className={styles.cell}>
      <div className={styles.actions}>
        <button type="button" className={styles.button} {...restoreFocus} aria-label={i18n.t('certs.detailsLabel', { name })} onClick={() => props.onDetails(c)}>
          {i18n.t('common.details')}
        </button>
        {icon(i18n.t('certs.replace'), i18n.t('certs.replaceLabel', { name }), <ArrowSwapRegular className={styles.icon} aria-hidden />, () => props.onReplace(c))}
        {icon(i18n.t('common.delete'), i18n.t('certs.deleteLabel', { name }), <DeleteRegular className={styles.icon} aria-hidden />, () => props.onDelete(c))}
      </div>
    </td>
  );
}
