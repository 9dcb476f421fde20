/**
 * "Delete", then "Yes, delete it". A certificate the page already knows is in use is not offered for
 * deletion: the first dialog says so and lists the APIs using it, each a link to its Security tab. One that
 * became used meanwhile is refused by the core, and the dialog turns into the same warning, focused.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { AppError, Result } from '../../../preload/contract/result';
import type { CertificateUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { routeHref } from '../shell/router';
import { usagesOf } from './usages';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: `${tokens.spacingVerticalS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  warning: { outlineStyle: 'none' },
});

/** What is about to be deleted, with the APIs the page knows use it. */
export interface DeleteTarget {
  readonly id: string;
  readonly name: string;
  readonly usedBy?: readonly CertificateUsage[];
}

/** What the dialog says and does. */
export interface DeleteDialogProps {
  readonly target: DeleteTarget | null;
  readonly title: string;
  /** Shown when the core refused the deletion (it was not deleted). */
  readonly inUseBody: string;
  /** Shown when the page knew the certificate is in use before asking. */
  readonly inUseFirstBody: string;
  readonly onConfirm: (id: string) => Promise<Result<unknown>>;
  readonly onClose: () => void;
  readonly onDeleted: (target: DeleteTarget) => void;
}

/** The confirmation dialog for deleting a certificate (client or CA). */
export function DeleteDialog(props: DeleteDialogProps) {
  return (
    <Dialog open={props.target !== null} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.target && <DeleteForm key={props.target.id} {...props} target={props.target} />}</DialogSurface>
    </Dialog>
  );
}

function DeleteForm(props: DeleteDialogProps & { readonly target: DeleteTarget }) {
  const i18n = useI18n();
  const styles = useStyles();
  const known = props.target.usedBy && props.target.usedBy.length > 0 ? props.target.usedBy : null;
  const [busy, setBusy] = useState(false);
  const [inUse, setInUse] = useState<{ readonly usages: readonly CertificateUsage[]; readonly refused: boolean } | null>(
    known ? { usages: known, refused: false } : null,
  );
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result = await props.onConfirm(props.target.id);
    setBusy(false);
    if (result.ok) return props.onDeleted(props.target);
    if (result.error.code === 'in-use') return setInUse({ usages: usagesOf(result.error), refused: true });
    setError(result.error);
  };

  return (
    <DialogBody>
      <DialogTitle>{inUse ? i18n.t('delete.inUseTitle') : props.title}</DialogTitle>
      <DialogContent className={styles.content}>
        {inUse ? (
          <InUseWarning name={props.target.name} body={inUse.refused ? props.inUseBody : props.inUseFirstBody} usages={inUse.usages} refused={inUse.refused} onClose={props.onClose} />
        ) : (
          <Text as="p">{i18n.t('delete.body', { name: props.target.name })}</Text>
        )}
        {error && <ErrorBar error={error} />}
      </DialogContent>
      <DialogActions>
        <Button appearance={inUse ? 'primary' : 'secondary'} onClick={props.onClose}>
          {inUse ? i18n.t('common.close') : i18n.t('common.cancel')}
        </Button>
        {!inUse && (
          <Button appearance="primary" disabledFocusable={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void confirm()}>
            {i18n.t('common.yesDelete')}
          </Button>
        )}
      </DialogActions>
    </DialogBody>
  );
}

/** The APIs that use the certificate, each a link to its Security tab; focused when it replaces the question. */
function InUseWarning(props: {
  readonly name: string;
  readonly body: string;
  readonly usages: readonly CertificateUsage[];
  readonly refused: boolean;
  readonly onClose: () => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  // After a refusal the "Yes, delete it" button that had focus is gone: focus moves to the message.
  useEffect(() => {
    if (props.refused) box.current?.focus();
  }, [props.refused]);
  return (
    <div ref={box} tabIndex={-1} className={styles.warning} data-testid="delete-in-use">
      <MessageBar intent="warning" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{props.name}</MessageBarTitle>
          <Text as="p">{props.body}</Text>
          <ul className={styles.list} aria-label={i18n.t('details.usedBy')}>
            {props.usages.map((usage) => (
              <li key={`${usage.apiId}/${usage.reference}`}>
                <Link href={routeHref({ page: 'api', apiId: usage.apiId, tab: 'security' })} onClick={props.onClose}>
                  {usage.apiName}
                </Link>{' '}
                <Text size={200}>({i18n.t(`delete.usage.${usage.reference}`)})</Text>
              </li>
            ))}
          </ul>
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
