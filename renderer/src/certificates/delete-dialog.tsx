/**
 * "Delete", then "Yes, delete it". A certificate still in use is not deleted: the dialog turns into a warning
 * that lists the APIs using it, each a link to its Security tab.
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
import { useState } from 'react';
import type { AppError, Result } from '../../../preload/contract/result';
import type { CertificateUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { routeHref } from '../shell/router';
import { usagesOf } from './usages';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: `${tokens.spacingVerticalS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

/** What is about to be deleted. */
export interface DeleteTarget {
  readonly id: string;
  readonly name: string;
}

/** The confirmation dialog for deleting a certificate (client or CA). */
export function DeleteDialog(props: {
  readonly target: DeleteTarget | null;
  readonly title: string;
  readonly inUseBody: string;
  readonly onConfirm: (id: string) => Promise<Result<unknown>>;
  readonly onClose: () => void;
  readonly onDeleted: (target: DeleteTarget) => void;
}) {
  return (
    <Dialog open={props.target !== null} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>
        {props.target && (
          <DeleteForm
            key={props.target.id}
            target={props.target}
            title={props.title}
            inUseBody={props.inUseBody}
            onConfirm={props.onConfirm}
            onClose={props.onClose}
            onDeleted={props.onDeleted}
          />
        )}
      </DialogSurface>
    </Dialog>
  );
}

function DeleteForm(props: {
  readonly target: DeleteTarget;
  readonly title: string;
  readonly inUseBody: string;
  readonly onConfirm: (id: string) => Promise<Result<unknown>>;
  readonly onClose: () => void;
  readonly onDeleted: (target: DeleteTarget) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [inUse, setInUse] = useState<readonly CertificateUsage[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result = await props.onConfirm(props.target.id);
    setBusy(false);
    if (result.ok) return props.onDeleted(props.target);
    if (result.error.code === 'in-use') return setInUse(usagesOf(result.error));
    setError(result.error);
  };

  return (
    <DialogBody>
      <DialogTitle>{inUse ? i18n.t('delete.inUseTitle') : props.title}</DialogTitle>
      <DialogContent className={styles.content}>
        {inUse ? (
          <MessageBar intent="warning" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{props.target.name}</MessageBarTitle>
              <Text as="p">{props.inUseBody}</Text>
              <ul className={styles.list} aria-label={i18n.t('details.usedBy')}>
                {inUse.map((usage) => (
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
        ) : (
          <Text as="p">{i18n.t('delete.body', { name: props.target.name })}</Text>
        )}
        {error && <ErrorBar error={error} />}
      </DialogContent>
      <DialogActions>
        <Button appearance="secondary" onClick={props.onClose}>
          {inUse ? i18n.t('common.close') : i18n.t('common.cancel')}
        </Button>
        {!inUse && (
          <Button appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void confirm()}>
            {i18n.t('common.yesDelete')}
          </Button>
        )}
      </DialogActions>
    </DialogBody>
  );
}
