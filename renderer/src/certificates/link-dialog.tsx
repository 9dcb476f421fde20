/**
 * "Link a file": the certificate follows a PFX/PEM file on the machine that runs CertGate. In the desktop app
 * "Browse…" opens the native file dialog; in a browser the operator types the path on the serving machine
 * (the console never uploads the file: the core reads it, now and at every renewal). The password goes to the
 * vault with the link.
 */
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FolderOpenRegular } from '@fluentui/react-icons';
import type { Certificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import { useLinkForm } from './use-link-form';
import type { LinksState } from './use-links';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  fileRow: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'start' },
  fileInput: { flexGrow: 1 },
});

/** What the dialog needs from the page. */
export interface LinkDialogProps {
  readonly open: boolean;
  readonly links: LinksState;
  readonly onClose: () => void;
  readonly onLinked: (certificate: Certificate) => void;
}

/** The dialog; its form starts fresh each time it opens. */
export function LinkDialog(props: LinkDialogProps) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onClose()}>
      <DialogSurface>{props.open && <LinkFormView {...props} />}</DialogSurface>
    </Dialog>
  );
}

function LinkFormView(props: LinkDialogProps) {
  const i18n = useI18n();
  const styles = useStyles();
  const form = useLinkForm(props.links, props.onLinked);
  const error = form.error;
  // A file that is not there or not readable: the core's words name the path.
  const fileError = !error || error.code === 'bad-password' || error.code === 'duplicate' ? undefined : error.code === 'not-found' || error.code === 'io-error' ? error.message : errorText(i18n, error);
  return (
    <form onSubmit={(e) => void form.submit(e)} noValidate>
      <DialogBody>
        <DialogTitle>{i18n.t('link.title')}</DialogTitle>
        <DialogContent className={styles.content}>
          <Text as="p">{i18n.t('link.intro')}</Text>
          <Field label={i18n.t('link.file')} hint={i18n.t('link.fileHint')} required validationMessage={fileError}>
            <div className={styles.fileRow}>
              <Input className={styles.fileInput} value={form.file} onChange={(_, d) => form.setFile(d.value)} spellCheck={false} />
              {props.links.canPick && (
                <Button icon={<FolderOpenRegular />} onClick={() => void form.browse()}>
                  {i18n.t('link.browse')}
                </Button>
              )}
            </div>
          </Field>
          <Field label={i18n.t('link.id')} hint={i18n.t('link.idHint')} validationMessage={error?.code === 'duplicate' ? errorText(i18n, error) : undefined}>
            <Input value={form.id} onChange={(_, d) => form.setId(d.value)} spellCheck={false} />
          </Field>
          <Field label={i18n.t('link.password')} hint={i18n.t('link.passwordHint')} validationMessage={error?.code === 'bad-password' ? errorText(i18n, error) : undefined}>
            <Input type="password" value={form.password} onChange={(_, d) => form.setPassword(d.value)} />
          </Field>
          <Checkbox label={i18n.t('link.replace')} checked={form.replace} onChange={(_, d) => form.setReplace(d.checked === true)} />
        </DialogContent>
        <DialogActions>
          <Button appearance="primary" type="submit" disabled={form.busy || form.file.trim() === ''}>
            {form.busy ? i18n.t('link.linking') : i18n.t('link.submit')}
          </Button>
          <Button onClick={props.onClose}>{i18n.t('common.cancel')}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
