/**
 * The unlock form of a passphrase vault (a data folder made on a machine without a keychain): shown above
 * every page while the vault is locked, because until then the gateway cannot present any certificate.
 * The passphrase goes to main once, through `vault.unlock`; it is never kept here.
 */
import { Button, Field, Input, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../preload/contract/result';
import { useI18n } from '../../i18n';
import { errorText } from '../error-text';
import type { AppInfoState } from './use-app-info';

const useStyles = makeStyles({
  panel: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    maxWidth: '640px',
    marginBottom: tokens.spacingVerticalXL,
    padding: tokens.spacingHorizontalL,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteMarigoldBorder2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorPaletteMarigoldBackground1,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  field: { flexGrow: 1, minWidth: '240px' },
});

/** The form, or nothing when the vault is not a locked passphrase vault. */
export function VaultUnlock(props: { readonly app: AppInfoState }) {
  const i18n = useI18n();
  const styles = useStyles();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const vault = props.app.data?.vault;
  if (!vault || vault.protection !== 'passphrase' || !vault.locked) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || passphrase === '') return;
    setBusy(true);
    const result = await props.app.unlock(passphrase);
    setBusy(false);
    if (result.ok) {
      setPassphrase('');
      setError(null);
    } else {
      setError(result.error);
      // The field that needs attention keeps the focus, with the message beside it.
      input.current?.focus();
      input.current?.select();
    }
  };

  return (
    <section className={styles.panel} aria-labelledby="vault-unlock-title">
      <Text as="h2" id="vault-unlock-title" size={400} weight="semibold">
        {i18n.t('vault.unlock.title')}
      </Text>
      <Text>{i18n.t('vault.unlock.body')}</Text>
      <form className={styles.row} onSubmit={(e) => void submit(e)} noValidate>
        <Field
          className={styles.field}
          label={i18n.t('vault.unlock.field')}
          validationState={error ? 'error' : 'none'}
          validationMessage={error ? errorText(i18n, error) : undefined}
        >
          <Input ref={input} type="password" value={passphrase} autoComplete="current-password" onChange={(_, data) => setPassphrase(data.value)} />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy || passphrase === ''} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {busy ? i18n.t('vault.unlock.unlocking') : i18n.t('vault.unlock.submit')}
        </Button>
      </form>
    </section>
  );
}
