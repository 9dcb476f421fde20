/** An API's Settings tab: display name, URL suffix, web service URL, description; and "Delete API". */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Textarea,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Api } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { navigate } from '../shell/router';
import type { ApiState } from './use-apis';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '640px', marginTop: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM },
});

/** The Settings tab. */
export function ApiSettingsTab(props: { readonly api: Api; readonly update: ApiState['update']; readonly remove: ApiState['remove'] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const notify = useNotify();
  const restoreFocus = useRestoreFocusTarget();
  const [displayName, setDisplayName] = useState(props.api.displayName);
  const [path, setPath] = useState(props.api.path);
  const [serviceUrl, setServiceUrl] = useState(props.api.serviceUrl);
  const [description, setDescription] = useState(props.api.description);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    const result = await props.update({ displayName: displayName.trim(), path: path.trim(), serviceUrl: serviceUrl.trim(), description });
    setBusy(false);
    if (result.ok) setSaved(true);
    else setError(result.error);
  };

  const remove = async () => {
    const result = await props.remove();
    setConfirmDelete(false);
    if (!result.ok) return setError(result.error);
    notify(i18n.t('api.deleted', { name: props.api.displayName }));
    navigate({ page: 'apis' });
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
      {error && <ErrorBar error={error} />}
      {saved && (
        <MessageBar intent="success">
          <MessageBarBody>{i18n.t('api.saved')}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={i18n.t('apis.displayName')} required>
        <Input value={displayName} onChange={(_, d) => setDisplayName(d.value)} />
      </Field>
      <Field label={i18n.t('apis.path')}>
        <Input value={path} onChange={(_, d) => setPath(d.value)} />
      </Field>
      <Field label={i18n.t('apis.serviceUrl')} hint={i18n.t('apis.serviceUrlHint')} required>
        <Input type="url" value={serviceUrl} onChange={(_, d) => setServiceUrl(d.value)} />
      </Field>
      <Field label={i18n.t('apis.description')}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} resize="vertical" />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {i18n.t('common.save')}
        </Button>
        <Button {...restoreFocus} onClick={() => setConfirmDelete(true)}>{i18n.t('api.delete')}</Button>
      </div>
      <Dialog open={confirmDelete} onOpenChange={(_, d) => setConfirmDelete(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{i18n.t('api.deleteTitle')}</DialogTitle>
            <DialogContent>{i18n.t('api.deleteBody', { name: props.api.displayName })}</DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={() => setConfirmDelete(false)}>
                {i18n.t('common.cancel')}
              </Button>
              <Button appearance="primary" onClick={() => void remove()}>
                {i18n.t('common.yesDelete')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </form>
  );
}
