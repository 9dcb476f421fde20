/**
 * An API's Security tab: "With credentials" (None, Basic, Mutual certificates), the client certificate, and
 * the back-end TLS options. Save applies at once: the next call through the gateway uses it. "Diagnose"
 * checks the back end as the gateway would call it, with the certificate selected (saved or not).
 */
import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Label,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { StethoscopeRegular } from '@fluentui/react-icons';
import { useMemo, useState, type FormEvent } from 'react';
import type { Api, BackendTls, Security } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { SecurityInput } from '../../../preload/contract/schemas';
import { useI18n } from '../../i18n';
import { useCaCertificates } from '../certificates/use-ca-certificates';
import { useCertificates, type CertificatesState } from '../certificates/use-certificates';
import { ErrorBar, Loading } from '../shell/feedback';
import { routeHref } from '../shell/router';
import { CertificatePicker } from './certificate-picker';
import { DiagnosisPanel } from './diagnosis-view';
import { useDiagnose, type DiagnoseControl } from './use-diagnose';
import { useSecurity, type SecurityState } from './use-security';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '640px', marginTop: tokens.spacingVerticalM },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, border: 'none', padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, marginBottom: tokens.spacingVerticalS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
});

type CredentialType = Security['type'];
const credentialTypes: readonly CredentialType[] = ['none', 'basic', 'certificate'];

/** What the last save said. */
interface Saved {
  readonly certificateName: string | null;
}

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

function SecurityForm(props: {
  readonly api: Api;
  readonly initial: Security;
  readonly certificates: CertificatesState;
  readonly save: SecurityState['save'];
  readonly saved: Saved | null;
  readonly onSaved: (saved: Saved | null) => void;
  readonly diagnose: DiagnoseControl;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const cas = useCaCertificates();
  const { initial } = props;
  const [type, setType] = useState<CredentialType>(initial.type);
  const [certificateId, setCertificateId] = useState<string | null>(initial.type === 'certificate' ? initial.certificateId : null);
  const [username, setUsername] = useState(initial.type === 'basic' ? initial.username : '');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<BackendTls>(props.api.backendTls);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [invalid, setInvalid] = useState<'certificate' | 'username' | 'password' | null>(null);
  const now = useMemo(() => Date.now(), []);
  const certificates = props.certificates.certificates;
  // The API keeps its stored password when Basic is saved again with the password left empty.
  const passwordStored = initial.type === 'basic';
  const savedCertificateId = initial.type === 'certificate' ? initial.certificateId : null;
  // Diagnose with the certificate selected here when it is not the saved one; else as saved.
  const diagnoseWith = type === 'certificate' && certificateId !== null && certificateId !== savedCertificateId ? certificateId : null;
  const diagnosing = props.diagnose.state.status === 'running';

  const typeLabel = (t: CredentialType) => i18n.t(`security.${t}`);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    let input: SecurityInput;
    if (type === 'certificate') {
      if (!certificateId) return setInvalid('certificate');
      input = { type, certificateId };
    } else if (type === 'basic') {
      if (username.trim() === '') return setInvalid('username');
      if (password === '' && !passwordStored) return setInvalid('password');
      input = { type, username: username.trim(), ...(password !== '' && { password }) };
    } else {
      input = { type: 'none' };
    }
    setInvalid(null);
    setBusy(true);
    setError(null);
    props.onSaved(null);
    const failure = await props.save(input, tls);
    setBusy(false);
    if (failure) return setError(failure);
    const certificate = input.type === 'certificate' ? certificates.find((c) => c.id === input.certificateId) : undefined;
    props.onSaved({ certificateName: certificate ? certificate.commonName || certificate.subject : null });
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
      {error && <ErrorBar error={error} />}
      {props.saved && (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>
            {props.saved.certificateName
              ? i18n.t('security.savedCertificate', { name: props.saved.certificateName })
              : i18n.t('security.savedLive')}
          </MessageBarBody>
          <MessageBarActions>
            <Link href={routeHref({ page: 'api', apiId: props.api.id, tab: 'policies' })}>{i18n.t('security.seePolicy')}</Link>
          </MessageBarActions>
        </MessageBar>
      )}
      <Field label={i18n.t('security.withCredentials')}>
        <Dropdown
          value={typeLabel(type)}
          selectedOptions={[type]}
          onOptionSelect={(_, data) => {
            if (data.optionValue) setType(data.optionValue as CredentialType);
            setInvalid(null);
          }}
        >
          {credentialTypes.map((t) => (
            <Option key={t} value={t}>
              {typeLabel(t)}
            </Option>
          ))}
        </Dropdown>
      </Field>

      {type === 'certificate' && (
        <Field
          label={i18n.t('security.clientCertificate')}
          required
          validationState={invalid === 'certificate' ? 'error' : 'none'}
          validationMessage={invalid === 'certificate' ? i18n.t('security.certificateRequired') : undefined}
        >
          {certificates.length === 0 ? (
            <Text>
              {i18n.t('security.noCertificates')}{' '}
              <Link href={routeHref({ page: 'client-certificates' })}>{i18n.t('security.uploadOne')}</Link>
            </Text>
          ) : (
            <CertificatePicker certificates={certificates} value={certificateId} onChange={setCertificateId} now={now} />
          )}
        </Field>
      )}

      {type === 'basic' && (
        <>
          <Field
            label={i18n.t('security.username')}
            required
            validationState={invalid === 'username' ? 'error' : 'none'}
            validationMessage={invalid === 'username' ? i18n.t('security.usernameRequired') : undefined}
          >
            <Input value={username} onChange={(_, d) => setUsername(d.value)} autoComplete="off" />
          </Field>
          <Field
            label={i18n.t('security.password')}
            hint={passwordStored ? i18n.t('security.passwordStored') : i18n.t('security.passwordHint')}
            required={!passwordStored}
            validationState={invalid === 'password' ? 'error' : 'none'}
            validationMessage={invalid === 'password' ? i18n.t('security.passwordRequired') : undefined}
          >
            <Input type="password" value={password} onChange={(_, d) => setPassword(d.value)} autoComplete="new-password" />
          </Field>
        </>
      )}

      <fieldset className={styles.group}>
        <legend className={styles.legend}>{i18n.t('security.backendTls')}</legend>
        <Checkbox
          label={i18n.t('security.validateChain')}
          checked={tls.validateCertificateChain}
          onChange={(_, d) => setTls((t) => ({ ...t, validateCertificateChain: d.checked === true }))}
        />
        <Checkbox
          label={i18n.t('security.validateName')}
          checked={tls.validateCertificateName}
          onChange={(_, d) => setTls((t) => ({ ...t, validateCertificateName: d.checked === true }))}
        />
        <div role="group" aria-labelledby="trusted-cas-label" className={styles.group}>
          <Label id="trusted-cas-label">{i18n.t('security.trustedCas')}</Label>
          {cas.caCertificates.length === 0 ? (
            <Text>
              {i18n.t('security.trustedCasPlaceholder')}.{' '}
              <Link href={routeHref({ page: 'ca-certificates' })}>{i18n.t('security.addCa')}</Link>
            </Text>
          ) : (
            cas.caCertificates.map((ca) => (
              <Checkbox
                key={ca.id}
                label={ca.commonName || ca.subject}
                checked={tls.trustedCaCertificateIds.includes(ca.id)}
                onChange={(_, d) =>
                  setTls((t) => ({
                    ...t,
                    trustedCaCertificateIds:
                      d.checked === true ? [...t.trustedCaCertificateIds, ca.id] : t.trustedCaCertificateIds.filter((id) => id !== ca.id),
                  }))
                }
              />
            ))
          )}
        </div>
      </fieldset>

      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {i18n.t('common.save')}
        </Button>
        <Button
          disabled={diagnosing}
          icon={diagnosing ? <Spinner size="tiny" /> : <StethoscopeRegular />}
          aria-describedby="diagnose-hint"
          onClick={() => void props.diagnose.run(diagnoseWith)}
        >
          {i18n.t('diagnose.button')}
        </Button>
        <Text id="diagnose-hint" size={200}>
          {i18n.t('diagnose.hint')}
        </Text>
      </div>
    </form>
  );
}
