/**
 * An API's Security tab: "With credentials" (None, Basic, Mutual certificates), the client certificate, and
 * the back-end TLS options. Save applies at once: the next call through the gateway uses it. "Diagnose"
 * checks the back end as the gateway would call it, with the certificate selected (saved or not).
 * The state lives in `useSecurityForm`; the fields are in security-fields.tsx.
 */
import { Button, Link, makeStyles, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api, Security } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { useCaCertificates } from '../certificates/use-ca-certificates';
import { useCertificates, type CertificatesState } from '../certificates/use-certificates';
import { ErrorBar, Loading } from '../shell/feedback';
import { routeHref } from '../shell/router';
import { DiagnoseButton } from './diagnose-button';
import { DiagnosisPanel } from './diagnosis-view';
import { BackendTlsFields, BasicFields, CertificateField, CredentialTypeField } from './security-fields';
import { useDiagnose, type DiagnoseControl } from './use-diagnose';
import { useSecurity, type SecurityState } from './use-security';
import { useSecurityForm, type Saved, type SecurityFormState } from './use-security-form';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '640px', marginTop: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
});

/** The Security tab of an API. */
export function SecurityTab(props: { readonly api: Api }) {
  const styles = useStyles();
  const security = useSecurity(props.api.id);
  const certificates = useCertificates();
  const diagnose = useDiagnose(props.api.id);
  const [saved, setSaved] = useState<Saved | null>(null);
  if (security.loading || certificates.loading) return <Loading />;
  if (!security.data) return security.error ? <ErrorBar error={security.error} onRetry={() => void security.refresh()} /> : null;
  const key = `${JSON.stringify(security.data)}|${JSON.stringify(props.api.backendTls)}`;
  return (
    <div className={styles.root}>
      <SecurityForm
        key={key}
        api={props.api}
        initial={security.data}
        certificates={certificates}
        save={security.save}
        saved={saved}
        onSaved={setSaved}
        diagnose={diagnose}
      />
      <DiagnosisPanel state={diagnose.state} certificates={certificates.certificates} />
    </div>
  );
}

/** "Saved. The change is live", with a link to the policy it wrote. */
function SavedBar(props: { readonly apiId: string; readonly saved: Saved }) {
  const i18n = useI18n();
  return (
    <MessageBar intent="success" layout="multiline" role="status">
      <MessageBarBody>
        {props.saved.certificateName
          ? i18n.t('security.savedCertificate', { name: props.saved.certificateName })
          : i18n.t('security.savedLive')}
      </MessageBarBody>
      <MessageBarActions>
        <Link href={routeHref({ page: 'api', apiId: props.apiId, tab: 'policies' })}>{i18n.t('security.seePolicy')}</Link>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Save, Diagnose, and the unsaved-changes marker (as on the Policies tab). */
function FormActions(props: { readonly form: SecurityFormState; readonly diagnose: DiagnoseControl }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { form } = props;
  const diagnosing = props.diagnose.state.status === 'running';
  return (
    <div className={styles.actions}>
      <Button appearance="primary" type="submit" disabled={form.busy} icon={form.busy ? <Spinner size="tiny" /> : undefined}>
        {i18n.t('common.save')}
      </Button>
      <DiagnoseButton running={diagnosing} hintId="diagnose-hint" label={i18n.t('diagnose.button')} onClick={() => void props.diagnose.run(form.diagnoseWith)} />
      {form.dirty && <Text data-testid="security-unsaved">{i18n.t('policy.unsaved')}</Text>}
      <Text id="diagnose-hint" size={200}>
        {i18n.t('diagnose.hint')}
      </Text>
    </div>
  );
}

function SecurityForm(props: {
  readonly api: Api;
  readonly initial: Security;
  readonly certificates: CertificatesState;
  readonly save: SecurityState['save'];
  readonly saved: Saved | null;
  readonly onSaved: (saved: Saved | null) => void;
  readonly diagnose: DiagnoseControl;
}) {
  const styles = useStyles();
  const cas = useCaCertificates();
  const certificates = props.certificates.certificates;
  const form = useSecurityForm({ api: props.api, initial: props.initial, certificates, save: props.save, onSaved: props.onSaved });
  return (
    <form className={styles.form} onSubmit={(e) => void form.submit(e)} noValidate>
      {form.error && <ErrorBar error={form.error} />}
      {props.saved && <SavedBar apiId={props.api.id} saved={props.saved} />}
      <CredentialTypeField form={form} />
      {form.type === 'certificate' && <CertificateField form={form} certificates={certificates} />}
      {form.type === 'basic' && <BasicFields form={form} />}
      <BackendTlsFields form={form} cas={cas.caCertificates} />
      {form.expiryWarning}
      <FormActions form={form} diagnose={props.diagnose} />
    </form>
  );
}
