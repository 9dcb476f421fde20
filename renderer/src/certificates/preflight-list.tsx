/**
 * A rotation's preflight: for each API using the old certificate, whether its back end accepted the new
 * one, with the problems and their fixes when not. With `choice`, each API has a checkbox: after a failed
 * preflight the operator chooses which APIs to switch anyway.
 */
import { Badge, Checkbox, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { RotationResult } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { DiagnosisProblems } from '../apis/diagnosis-view';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Which APIs are ticked, and how to change that. */
export interface PreflightChoice {
  readonly selected: ReadonlySet<string>;
  onToggle(apiId: string, checked: boolean): void;
}

/** The preflight of each affected API. */
export function PreflightList(props: { readonly preflight: RotationResult['preflight']; readonly choice?: PreflightChoice }) {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={i18n.t('rotate.preflight')}>
      {props.preflight.map((p) => {
        const status = (
          <Badge appearance="tint" color={p.ok ? 'success' : 'danger'}>
            {p.ok ? i18n.t('rotate.preflightOk') : i18n.t('rotate.preflightFailed')}
          </Badge>
        );
        return (
          <li key={p.apiId} className={styles.item} data-api-id={p.apiId} data-preflight={p.ok ? 'ok' : 'failed'}>
            <div className={styles.head}>
              {props.choice ? (
                <Checkbox
                  label={i18n.t('rotate.switchApi', { name: p.apiName })}
                  checked={props.choice.selected.has(p.apiId)}
                  onChange={(_, data) => props.choice?.onToggle(p.apiId, data.checked === true)}
                />
              ) : (
                <Text weight="semibold">{p.apiName}</Text>
              )}
              {status}
            </div>
            {!p.ok && p.diagnosis.problems.length > 0 && <DiagnosisProblems problems={p.diagnosis.problems} />}
          </li>
        );
      })}
    </ul>
  );
}
