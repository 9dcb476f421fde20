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
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { Certificate, CertificateWithUsage, Rotation, RotationResult } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { useCertificateFileForm, type ChosenFile } from './certificate-file-form';
import { PreflightList } from './preflight-list';
import type { RotationsState } from './use-rotations';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  status: { outlineStyle: 'none' },
});

/** The replacement file as sent the first time, sent again when the operator chooses the APIs to switch. */
type Upload = ChosenFile;

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

function ReplaceForm(props: {
  readonly target: CertificateWithUsage;
  readonly rotate: RotationsState['rotate'];
  readonly rollback: RotationsState['rollback'];
  readonly onClose: () => void;
  readonly onRotated: (result: RotationResult) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useCertificateFileForm();
  const status = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [result, setResult] = useState<RotationResult | null>(null);
  const [rolledBack, setRolledBack] = useState<Rotation | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const oldName = nameOf(props.target);

  // Each new outcome is announced: focus moves to its message.
  useEffect(() => {
    if (result || rolledBack) status.current?.focus();
  }, [result, rolledBack]);

  const show = (next: RotationResult) => {
    setResult(next);
    setSelected(new Set(next.rotation ? [] : next.preflight.filter((p) => p.ok).map((p) => p.apiId)));
    props.onRotated(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const sent = await form.read();
    if (!sent) return setBusy(false);
    const answer = await props.rotate({ id: props.target.id, ...sent });
    setBusy(false);
    if (answer.ok) {
      setUpload(sent);
      return show(answer.value);
    }
    form.showFailure(answer.error);
  };

  const switchChosen = async () => {
    if (!result || !upload || busy || selected.size === 0) return;
    setBusy(true);
    setError(null);
    // The replacement is stored already: naming it as the new id makes the core reuse it, not refuse a duplicate.
    const answer = await props.rotate({ id: props.target.id, newId: result.newCertificate.id, ...upload, apiIds: [...selected] });
    setBusy(false);
    if (answer.ok) show(answer.value);
    else setError(answer.error);
  };

  const rollBack = async () => {
    if (!result?.rotation || busy) return;
    setBusy(true);
    setError(null);
    const answer = await props.rollback(result.rotation.id);
    setBusy(false);
    if (answer.ok) setRolledBack(answer.value);
    else setError(answer.error);
  };

  if (!result) {
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

  const newName = nameOf(result.newCertificate);
  const choosing = result.rotation === null && result.preflight.length > 0;
  let message;
  if (rolledBack) {
    message = (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>{i18n.tn('rotate.rolledBack', rolledBack.apiIds.length, { name: oldName })}</MessageBarBody>
      </MessageBar>
    );
  } else if (result.rotation) {
    message = (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>{i18n.tn('rotate.switched', result.switched.length, { name: newName })}</MessageBarBody>
      </MessageBar>
    );
  } else if (!choosing) {
    message = (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{i18n.t('rotate.uploadedOnly', { name: newName, old: oldName })}</MessageBarBody>
      </MessageBar>
    );
  } else {
    message = (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t('rotate.notSwitched')}</MessageBarTitle>
          {i18n.t('rotate.choose', { name: newName })}
        </MessageBarBody>
      </MessageBar>
    );
  }

  return (
    <DialogBody>
      <DialogTitle>{i18n.t('rotate.title', { name: oldName })}</DialogTitle>
      <DialogContent className={styles.content}>
        <div ref={status} tabIndex={-1} className={styles.status} role="status">
          {message}
        </div>
        {error && <ErrorBar error={error} />}
        {result.preflight.length > 0 && (
          <>
            <Text as="h3" weight="semibold">
              {i18n.t('rotate.preflight')}
            </Text>
            <PreflightList
              preflight={result.preflight}
              choice={
                choosing
                  ? {
                      selected,
                      onToggle: (apiId, checked) =>
                        setSelected((s) => {
                          const next = new Set(s);
                          if (checked) next.add(apiId);
                          else next.delete(apiId);
                          return next;
                        }),
                    }
                  : undefined
              }
            />
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
