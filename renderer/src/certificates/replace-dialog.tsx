/**
 * "Replace": rotate a client certificate. The operator picks the replacement file and its password; CertGate
 * uploads it, diagnoses every API that uses the old certificate with the new one, and switches them all in
 * one change when all pass. When some fail, nothing is switched: the dialog shows each API's problems and
 * lets the operator tick the APIs to switch anyway. A switch can be rolled back from here (or the page).
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { Certificate, CertificateWithUsage, Rotation, RotationResult } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { PreflightList } from './preflight-list';
import { useReplace } from './use-replace';
import type { RotationsState } from './use-rotations';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  status: { outlineStyle: 'none' },
});

function nameOf(c: Pick<Certificate, 'commonName' | 'subject'>): string {
  return c.commonName || c.subject;
}

/** The dialog for one certificate (`target`); it starts fresh each time it opens. */
export function ReplaceDialog(props: {
  readonly target: CertificateWithUsage | null;
  readonly rotate: RotationsState['rotate'];
  readonly rollback: RotationsState['rollback'];
  readonly onClose: () => void;
  readonly onRotated: (result: RotationResult) => void;
}) {
  return (
    <Dialog open={props.target !== null} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.target && <ReplaceForm key={props.target.id} {...props} target={props.target} />}</DialogSurface>
    </Dialog>
  );
}

type Replace = ReturnType<typeof useReplace>;

/** Before the rotation: which APIs use the old certificate, and the replacement's file and password. */
function ReplaceFileStep(props: { readonly target: CertificateWithUsage; readonly replace: Replace; readonly onClose: () => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { form, busy, submit } = props.replace;
  const oldName = nameOf(props.target);
  const users = props.target.usedBy.length;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('rotate.title', { name: oldName })}</DialogTitle>
        <DialogContent className={styles.content}>
          <Text as="p">{i18n.t('rotate.intro', { name: oldName })}</Text>
          <Text as="p" weight="semibold">
            {users === 0 ? i18n.t('rotate.notUsed') : i18n.tn('rotate.usedBy', users, { names: props.target.usedBy.map((u) => u.apiName).join(', ') })}
          </Text>
          {form.fields(i18n.t('rotate.file'))}
          {busy && <Spinner size="small" label={i18n.t('rotate.checking')} labelPosition="after" role="status" />}
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={busy}>
            {i18n.t('rotate.submit')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** What happened: rolled back, switched, uploaded only (no API uses it), or not switched (choose the APIs). */
function OutcomeMessage(props: { readonly oldName: string; readonly result: RotationResult; readonly rolledBack: Rotation | null; readonly choosing: boolean }) {
  const i18n = useI18n();
  const { result, rolledBack } = props;
  const newName = nameOf(result.newCertificate);
  if (rolledBack) {
    return (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>{i18n.tn('rotate.rolledBack', rolledBack.apiIds.length, { name: props.oldName })}</MessageBarBody>
      </MessageBar>
    );
  }
  if (result.rotation) {
    return (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>{i18n.tn('rotate.switched', result.switched.length, { name: newName })}</MessageBarBody>
      </MessageBar>
    );
  }
  if (!props.choosing) {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{i18n.t('rotate.uploadedOnly', { name: newName, old: props.oldName })}</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{i18n.t('rotate.notSwitched')}</MessageBarTitle>
        {i18n.t('rotate.choose', { name: newName })}
      </MessageBarBody>
    </MessageBar>
  );
}

/** After the rotation: the outcome (announced), each API's preflight, and switch chosen / roll back / close. */
function ReplaceOutcome(props: { readonly target: CertificateWithUsage; readonly result: RotationResult; readonly replace: Replace; readonly onClose: () => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const status = useRef<HTMLDivElement>(null);
  const { result } = props;
  const { busy, rolledBack, selected, toggle, error, switchChosen, rollBack } = props.replace;
  const oldName = nameOf(props.target);
  const choosing = result.rotation === null && result.preflight.length > 0;

  // Each new outcome is announced: focus moves to its message.
  useEffect(() => {
    status.current?.focus();
  }, [result, rolledBack]);

  return (
    <DialogBody>
      <DialogTitle>{i18n.t('rotate.title', { name: oldName })}</DialogTitle>
      <DialogContent className={styles.content}>
        <div ref={status} tabIndex={-1} className={styles.status} role="status">
          <OutcomeMessage oldName={oldName} result={result} rolledBack={rolledBack} choosing={choosing} />
        </div>
        {error && <ErrorBar error={error} />}
        {result.preflight.length > 0 && (
          <>
            <Text as="h3" weight="semibold">
              {i18n.t('rotate.preflight')}
            </Text>
            <PreflightList preflight={result.preflight} choice={choosing ? { selected, onToggle: toggle } : undefined} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        {choosing && (
          <Button appearance="primary" disabled={busy || selected.size === 0} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void switchChosen()}>
            {i18n.tn('rotate.switchChosen', selected.size)}
          </Button>
        )}
        {result.rotation && !rolledBack && (
          <Button disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void rollBack()}>
            {i18n.t('rotate.rollBack')}
          </Button>
        )}
        <Button appearance={choosing ? 'secondary' : 'primary'} onClick={props.onClose}>
          {i18n.t('common.close')}
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

function ReplaceForm(props: {
  readonly target: CertificateWithUsage;
  readonly rotate: RotationsState['rotate'];
  readonly rollback: RotationsState['rollback'];
  readonly onClose: () => void;
  readonly onRotated: (result: RotationResult) => void;
}) {
  const replace = useReplace(props);
  if (!replace.result) return <ReplaceFileStep target={props.target} replace={replace} onClose={props.onClose} />;
  return <ReplaceOutcome target={props.target} result={replace.result} replace={replace} onClose={props.onClose} />;
}
