/** The parts of the Security form: "With credentials" with its fields, and the back-end TLS options. */
import { Checkbox, Dropdown, Field, Input, Label, Link, makeStyles, Option, Text, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { CaCertificate, CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { routeHref } from '../shell/router';
import { CertificatePicker } from './certificate-picker';
import type { CredentialType, SecurityFormState } from './use-security-form';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, border: 'none', padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, marginBottom: tokens.spacingVerticalS },
});

const credentialTypes: readonly CredentialType[] = ['none', 'basic', 'certificate'];

/** "With credentials": None, Basic or Mutual certificates. */
export function CredentialTypeField(props: { readonly form: SecurityFormState }) {
  const i18n = useI18n();
  const typeLabel = (t: CredentialType) => i18n.t(`security.${t}`);
  return (
    <Field label={i18n.t('security.withCredentials')}>
      <Dropdown
        value={typeLabel(props.form.type)}
        selectedOptions={[props.form.type]}
        onOptionSelect={(_, data) => data.optionValue && props.form.setType(data.optionValue as CredentialType)}
      >
        {credentialTypes.map((t) => (
          <Option key={t} value={t}>
            {typeLabel(t)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** The "Client certificate" field of Mutual certificates. */
export function CertificateField(props: { readonly form: SecurityFormState; readonly certificates: readonly CertificateWithUsage[] }) {
  const i18n = useI18n();
  const now = useMemo(() => Date.now(), []);
  const { form } = props;
  return (
    <Field
      label={i18n.t('security.clientCertificate')}
      required
      validationState={form.invalid === 'certificate' ? 'error' : 'none'}
      validationMessage={form.invalid === 'certificate' ? i18n.t('security.certificateRequired') : undefined}
    >
      {props.certificates.length === 0 ? (
        <Text>
          {i18n.t('security.noCertificates')}{' '}
          <Link href={routeHref({ page: 'client-certificates' })}>{i18n.t('security.uploadOne')}</Link>
        </Text>
      ) : (
        <CertificatePicker certificates={props.certificates} value={form.certificateId} onChange={form.setCertificateId} now={now} />
      )}
    </Field>
  );
}

/** The user name and password of Basic. */
export function BasicFields(props: { readonly form: SecurityFormState }) {
  const i18n = useI18n();
  const { form } = props;
  return (
    <>
      <Field
        label={i18n.t('security.username')}
        required
        validationState={form.invalid === 'username' ? 'error' : 'none'}
        validationMessage={form.invalid === 'username' ? i18n.t('security.usernameRequired') : undefined}
      >
        <Input value={form.username} onChange={(_, d) => form.setUsername(d.value)} autoComplete="off" />
      </Field>
      <Field
        label={i18n.t('security.password')}
        hint={form.passwordStored ? i18n.t('security.passwordStored') : i18n.t('security.passwordHint')}
        required={!form.passwordStored}
        validationState={form.invalid === 'password' ? 'error' : 'none'}
        validationMessage={form.invalid === 'password' ? i18n.t('security.passwordRequired') : undefined}
      >
        <Input type="password" value={form.password} onChange={(_, d) => form.setPassword(d.value)} autoComplete="new-password" />
      </Field>
    </>
  );
}

/** The trusted CA certificates, one checkbox each. */
function TrustedCas(props: { readonly form: SecurityFormState; readonly cas: readonly CaCertificate[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { form } = props;
  const toggle = (id: string, on: boolean) =>
    form.updateTls((t) => ({
      ...t,
      trustedCaCertificateIds: on ? [...t.trustedCaCertificateIds, id] : t.trustedCaCertificateIds.filter((x) => x !== id),
    }));
  return (
    <div role="group" aria-labelledby="trusted-cas-label" className={styles.group}>
      <Label id="trusted-cas-label">{i18n.t('security.trustedCas')}</Label>
      {props.cas.length === 0 ? (
        <Text>
          {i18n.t('security.trustedCasPlaceholder')}.{' '}
          <Link href={routeHref({ page: 'ca-certificates' })}>{i18n.t('security.addCa')}</Link>
        </Text>
      ) : (
        props.cas.map((ca) => (
          <Checkbox
            key={ca.id}
            label={ca.commonName || ca.subject}
            checked={form.tls.trustedCaCertificateIds.includes(ca.id)}
            onChange={(_, d) => toggle(ca.id, d.checked === true)}
          />
        ))
      )}
    </div>
  );
}

/** "Back-end TLS": chain and name validation, trusted CAs. */
export function BackendTlsFields(props: { readonly form: SecurityFormState; readonly cas: readonly CaCertificate[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { form } = props;
  return (
    <fieldset className={styles.group}>
      <legend className={styles.legend}>{i18n.t('security.backendTls')}</legend>
      <Checkbox
        label={i18n.t('security.validateChain')}
        checked={form.tls.validateCertificateChain}
        onChange={(_, d) => form.updateTls((t) => ({ ...t, validateCertificateChain: d.checked === true }))}
      />
      <Checkbox
        label={i18n.t('security.validateName')}
        checked={form.tls.validateCertificateName}
        onChange={(_, d) => form.updateTls((t) => ({ ...t, validateCertificateName: d.checked === true }))}
      />
      <TrustedCas form={form} cas={props.cas} />
    </fieldset>
  );
}
