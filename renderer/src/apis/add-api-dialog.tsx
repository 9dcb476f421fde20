/** "Add API": display name, URL suffix and web service URL. */
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
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Api } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { ErrorBar } from '../shell/feedback';
import type { ApisState } from './use-apis';

const useStyles = makeStyles({ content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL } });

/** A URL suffix suggested from a display name: "Echo API" → "echo-api". */
function suggestPath(displayName: string): string {
  return displayName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The dialog; its form starts fresh each time it opens. */
export function AddApiDialog(props: {
  readonly open: boolean;
  readonly gatewayUrl: string | null;
  readonly create: ApisState['create'];
  readonly onClose: () => void;
  readonly onCreated: (api: Api) => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <AddApiForm {...props} />}</DialogSurface>
    </Dialog>
  );
}

function fieldOf(error: AppError | null): string | null {
  const issues = (error?.details as { issues?: { path?: string[] }[] } | undefined)?.issues;
  return issues?.[0]?.path?.[0] ?? null;
}

function AddApiForm(props: {
  readonly gatewayUrl: string | null;
  readonly create: ApisState['create'];
  readonly onClose: () => void;
  readonly onCreated: (api: Api) => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const [displayName, setDisplayName] = useState('');
  const [path, setPath] = useState('');
  const [pathTouched, setPathTouched] = useState(false);
  const [serviceUrl, setServiceUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await props.create({ displayName: displayName.trim(), path: path.trim(), serviceUrl: serviceUrl.trim() });
    setBusy(false);
    if (result.ok) props.onCreated(result.value);
    else setError(result.error);
  };

  const bad = fieldOf(error);
  const fieldError = (name: string) =>
    error && bad === name ? { validationState: 'error' as const, validationMessage: errorText(i18n, error) } : {};
  const example = `${props.gatewayUrl ?? 'http://127.0.0.1:8787'}/${path.trim() || 'echo'}/…`;

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('apis.add')}</DialogTitle>
        <DialogContent className={styles.content}>
          {error && (bad === null || !['displayName', 'path', 'serviceUrl'].includes(bad)) && <ErrorBar error={error} />}
          <Field label={i18n.t('apis.displayName')} required {...fieldError('displayName')}>
            <Input
              value={displayName}
              onChange={(_, data) => {
                setDisplayName(data.value);
                if (!pathTouched) setPath(suggestPath(data.value));
              }}
            />
          </Field>
          <Field label={i18n.t('apis.path')} hint={i18n.t('apis.pathHint', { example })} {...fieldError('path')}>
            <Input
              value={path}
              onChange={(_, data) => {
                setPath(data.value);
                setPathTouched(true);
              }}
            />
          </Field>
          <Field label={i18n.t('apis.serviceUrl')} hint={i18n.t('apis.serviceUrlHint')} required {...fieldError('serviceUrl')}>
            <Input type="url" value={serviceUrl} placeholder="https://localhost:9443" onChange={(_, data) => setServiceUrl(data.value)} />
          </Field>
        </DialogContent>
        <DialogActions>
          <Button appearance="secondary" onClick={props.onClose}>
            {i18n.t('common.cancel')}
          </Button>
          <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t('apis.create')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
