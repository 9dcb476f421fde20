/**
 * The details dialog's export: the public certificate (.cer DER, .pem) in one click, and the private key only
 * behind "Export with the private key…", which says plainly what the file holds and asks for a new password
 * twice (PFX: required; PEM: encrypts the key when given).
 */
import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, KeyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { Certificate } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { useNotify } from '../shell/notify';
import { useCertificateExport, type CertificateExport, type KeyExportFormat } from './use-certificate-export';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The export section of one certificate. */
export function ExportSection(props: { readonly certificate: Certificate }) {
  const i18n = useI18n();
  const styles = useStyles();
  const notify = useNotify();
  const state = useCertificateExport(props.certificate.id);
  const [withKey, setWithKey] = useState(false);
  const done = (file: string | null) => {
    if (file) notify(i18n.t('certExport.done', { file }));
  };
  return (
    <section aria-label={i18n.t('certExport.section')} className={styles.section}>
      <Text as="h3" weight="semibold">
        {i18n.t('certExport.section')}
      </Text>
      <div className={styles.actions} role="group" aria-label={i18n.t('certExport.public')}>
        <Text>{i18n.t('certExport.public')}</Text>
        <Button icon={<ArrowDownloadRegular />} disabled={state.busy} onClick={() => void state.exportPublic('cer').then(done)}>
          {i18n.t('certExport.publicCer')}
        </Button>
        <Button icon={<ArrowDownloadRegular />} disabled={state.busy} onClick={() => void state.exportPublic('pem').then(done)}>
          {i18n.t('certExport.publicPem')}
        </Button>
      </div>
      {!withKey && (
        <div className={styles.actions}>
          <Button icon={<KeyRegular />} onClick={() => setWithKey(true)}>
            {i18n.t('certExport.open')}
          </Button>
        </div>
      )}
      {withKey && <KeyExportForm state={state} onDone={done} />}
      {state.error && <ErrorBar error={state.error} />}
    </section>
  );
}

function KeyExportForm(props: { readonly state: CertificateExport; readonly onDone: (file: string | null) => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { state } = props;
  const [tried, setTried] = useState(false);
  const problem = tried || state.again !== '' ? state.problem : null;
  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!state.problem) void state.exportKey().then(props.onDone);
      }}
    >
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t('certExport.warningTitle')}</MessageBarTitle>
          {i18n.t('certExport.warningBody')}
        </MessageBarBody>
      </MessageBar>
      <Field label={i18n.t('certExport.format')}>
        <RadioGroup value={state.format} onChange={(_, d) => state.setFormat(d.value as KeyExportFormat)} layout="horizontal">
          <Radio value="pfx" label={i18n.t('certExport.format.pfx')} />
          <Radio value="pem" label={i18n.t('certExport.format.pem')} />
        </RadioGroup>
      </Field>
      <Field
        label={i18n.t('certExport.password')}
        required={state.format === 'pfx'}
        hint={state.format === 'pem' ? i18n.t('certExport.pemPasswordHint') : undefined}
        validationMessage={problem === 'required' ? i18n.t('certExport.passwordRequired') : undefined}
      >
        <Input type="password" value={state.password} onChange={(_, d) => state.setPassword(d.value)} />
      </Field>
      <Field label={i18n.t('certExport.passwordAgain')} validationMessage={problem === 'mismatch' ? i18n.t('certExport.mismatch') : undefined}>
        <Input type="password" value={state.again} onChange={(_, d) => state.setAgain(d.value)} />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" icon={<KeyRegular />} disabled={state.busy}>
          {state.busy ? i18n.t('certExport.exporting') : i18n.t('certExport.submit')}
        </Button>
      </div>
    </form>
  );
}
