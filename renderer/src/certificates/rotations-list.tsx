/**
 * The Client certificates page's "Rotations": the latest replacements, which APIs each switched, and "Roll
 * back" on those that are still in effect.
 */
import {
  Button,
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { Api, CertificateWithUsage, Rotation } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { ErrorBar, Loading } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { canRollBack, type RotationsState } from './use-rotations';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Rotations shown at most: the list is a reminder of recent changes, not an audit log. */
const SHOWN = 10;

/** Rolling a rotation back: which one is in progress, and the last refusal. */
function useRollBack(rotations: RotationsState, certificateName: (id: string) => string) {
  const i18n = useI18n();
  const notify = useNotify();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const rollBack = async (rotation: Rotation) => {
    setBusyId(rotation.id);
    setError(null);
    const result = await rotations.rollback(rotation.id);
    setBusyId(null);
    if (!result.ok) return setError(result.error);
    notify(i18n.tn('rotate.rolledBack', result.value.apiIds.length, { name: certificateName(rotation.fromCertificateId) }));
  };
  return { busyId, error, rollBack };
}

/** The latest rotations, with "Roll back" on those still in effect. */
function RotationsTable(props: {
  readonly rotations: readonly Rotation[];
  readonly certificateName: (id: string) => string;
  readonly apiName: (id: string) => string;
  readonly busyId: string | null;
  readonly onRollBack: (rotation: Rotation) => void;
}) {
  const i18n = useI18n();
  return (
    <Table size="small" aria-labelledby="rotations-heading">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{i18n.t('rotations.col.when')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('rotations.col.certificates')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('rotations.col.apis')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('rotations.col.state')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('certs.col.actions')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.rotations.slice(0, SHOWN).map((r) => {
          const from = props.certificateName(r.fromCertificateId);
          const to = props.certificateName(r.toCertificateId);
          return (
            <TableRow key={r.id} data-rotation-id={r.id}>
              <TableCell>
                <time dateTime={r.rotatedAt}>{i18n.formatDateTime(r.rotatedAt)}</time>
              </TableCell>
              <TableCell>{i18n.t('rotations.fromTo', { from, to })}</TableCell>
              <TableCell>{r.apiIds.length === 0 ? i18n.t('common.none') : r.apiIds.map(props.apiName).join(', ')}</TableCell>
              <TableCell>
                {r.rolledBackAt ? i18n.t('rotations.rolledBackAt', { when: i18n.formatDateTime(r.rolledBackAt) }) : i18n.t('rotations.inEffect')}
              </TableCell>
              <TableCell>
                {canRollBack(r, props.rotations) && (
                  <Button
                    size="small"
                    disabled={props.busyId !== null}
                    icon={props.busyId === r.id ? <Spinner size="tiny" /> : undefined}
                    aria-label={i18n.t('rotations.rollBackLabel', { from, to })}
                    onClick={() => props.onRollBack(r)}
                  >
                    {i18n.t('rotate.rollBack')}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The list of recent rotations. */
export function RotationsList(props: {
  readonly rotations: RotationsState;
  readonly certificates: readonly CertificateWithUsage[];
  readonly apis: readonly Api[];
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const { rotations } = props;
  const certificateName = (id: string) => {
    const c = props.certificates.find((x) => x.id === id);
    return c ? c.commonName || c.subject : id;
  };
  const apiName = (id: string) => props.apis.find((a) => a.id === id)?.displayName ?? id;
  const { busyId, error, rollBack } = useRollBack(rotations, certificateName);

  let body;
  if (rotations.loading) body = <Loading />;
  else if (rotations.error && !rotations.data) body = <ErrorBar error={rotations.error} onRetry={() => void rotations.refresh()} />;
  else if (rotations.rotations.length === 0) body = <Text as="p">{i18n.t('rotations.empty')}</Text>;
  else
    body = (
      <RotationsTable
        rotations={rotations.rotations}
        certificateName={certificateName}
        apiName={apiName}
        busyId={busyId}
        onRollBack={(r) => void rollBack(r)}
      />
    );

  return (
    <section className={styles.section} aria-labelledby="rotations-heading">
      <Text as="h2" size={500} weight="semibold" id="rotations-heading">
        {i18n.t('rotations.title')}
      </Text>
      {error && <ErrorBar error={error} />}
      {body}
    </section>
  );
}
