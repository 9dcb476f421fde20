/**
 * What a diagnosis of a back end found: its problems with their fixes first (that is what the operator came
 * for), then each step with its outcome and time, the TLS session and the back end's chain, the client
 * certificate's fate and the HTTP status.
 */
import {
  Badge,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import type { CertificateWithUsage, Diagnosis, DiagnosisProblem, DiagnosisStep } from '../../../preload/contract/model';
import { useI18n, type I18n } from '../../i18n';
import { Thumbprint } from '../certificates/thumbprint';
import { ErrorBar } from '../shell/feedback';
import type { DiagnoseState } from './use-diagnose';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  heading: { margin: 0, outlineStyle: 'none', wordBreak: 'break-all' },
  problems: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  fix: { display: 'block' },
  grid: { display: 'grid', gridTemplateColumns: 'minmax(160px, max-content) 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: 'break-word' },
  chain: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  detail: { wordBreak: 'break-word' },
  stepCol: { width: '190px' },
  outcomeCol: { width: '120px' },
  timeCol: { width: '90px' },
  bad: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  good: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
});

const OUTCOME_COLORS: Readonly<Record<DiagnosisStep['outcome'], 'success' | 'danger' | 'warning' | 'informative'>> = {
  ok: 'success',
  failed: 'danger',
  warning: 'warning',
  skipped: 'informative',
};

function yesNo(i18n: I18n, value: boolean | null): string {
  if (value === null) return i18n.t('diagnose.unknown');
  return value ? i18n.t('common.yes') : i18n.t('common.no');
}

/** The problems of a diagnosis, each with its fix. */
export function DiagnosisProblems(props: { readonly problems: readonly DiagnosisProblem[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <ul className={styles.problems}>
      {props.problems.map((p, index) => (
        <li key={`${p.code}-${index}`} data-problem-code={p.code}>
          <strong>{p.message}</strong>
          <span className={styles.fix}>{i18n.t('diagnose.fix', { fix: p.fix })}</span>
        </li>
      ))}
    </ul>
  );
}

function Validity(props: { readonly valid: boolean | null; readonly reason: string | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  if (props.valid === null) return <>{i18n.t('diagnose.notChecked')}</>;
  if (props.valid) return <span className={styles.good}>{i18n.t('diagnose.valid')}</span>;
  return <span className={styles.bad}>{i18n.t('diagnose.invalid', { reason: props.reason ?? i18n.t('diagnose.unknown') })}</span>;
}

/** One term and its value in a definition list. */
function Fact(props: { readonly term: string; readonly children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{props.term}</dt>
      <dd className={styles.value}>{props.children}</dd>
    </>
  );
}

/** The problems (with their fixes), or that there are none. */
function DiagnosisSummary(props: { readonly diagnosis: Diagnosis }) {
  const i18n = useI18n();
  const d = props.diagnosis;
  if (d.problems.length > 0) {
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{i18n.tn('diagnose.problems', d.problems.length)}</MessageBarTitle>
          <DiagnosisProblems problems={d.problems} />
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent={d.ok ? 'success' : 'warning'} layout="multiline">
      <MessageBarBody>{d.ok ? i18n.t('diagnose.ok') : i18n.t('diagnose.notOk')}</MessageBarBody>
    </MessageBar>
  );
}

/** Each step with its outcome, time and detail. */
function DiagnosisSteps(props: { readonly steps: readonly DiagnosisStep[] }) {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <Table size="small" aria-label={i18n.t('diagnose.steps')}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.stepCol}>{i18n.t('diagnose.col.step')}</TableHeaderCell>
          <TableHeaderCell className={styles.outcomeCol}>{i18n.t('diagnose.col.outcome')}</TableHeaderCell>
          <TableHeaderCell className={styles.timeCol}>{i18n.t('diagnose.col.time')}</TableHeaderCell>
          <TableHeaderCell>{i18n.t('diagnose.col.detail')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.steps.map((s) => (
          <TableRow key={s.step} data-step={s.step} data-outcome={s.outcome}>
            <TableCell>{i18n.t(`diagnose.step.${s.step}`)}</TableCell>
            <TableCell>
              <Badge appearance="tint" color={OUTCOME_COLORS[s.outcome]}>
                {i18n.t(`diagnose.outcome.${s.outcome}`)}
              </Badge>
            </TableCell>
            <TableCell>{i18n.t('test.timeValue', { ms: Math.round(s.durationMs) })}</TableCell>
            <TableCell className={styles.detail}>{s.detail}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The certificates the back end presented, leaf first. */
function ServerChain(props: { readonly chain: NonNullable<Diagnosis['tls']>['serverChain'] }) {
  const i18n = useI18n();
  const styles = useStyles();
  return (
    <section aria-label={i18n.t('diagnose.serverChain')}>
      <Text as="h5" weight="semibold">
        {i18n.t('diagnose.serverChain')}
      </Text>
      <ol className={styles.chain}>
        {props.chain.map((entry, index) => (
          <li key={`${entry.thumbprint}-${index}`}>
            <strong>{entry.subject}</strong>
            <br />
            {i18n.t('diagnose.issuedBy', { issuer: entry.issuer })}
            <br />
            {i18n.t('diagnose.validity', { from: i18n.formatDate(entry.notBefore), to: i18n.formatDate(entry.notAfter) })}
            {entry.subjectAltNames.length > 0 && (
              <>
                <br />
                {i18n.t('diagnose.sans', { names: entry.subjectAltNames.join(', ') })}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The TLS session: version, cipher, whether chain and name are valid, and the back end's chain. */
function TlsSession(props: { readonly tls: Diagnosis['tls'] }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { tls } = props;
  if (!tls) return <Text>{i18n.t('diagnose.noTls')}</Text>;
  return (
    <>
      <dl className={styles.grid}>
        <Fact term={i18n.t('diagnose.tlsVersion')}>{tls.version ?? i18n.t('diagnose.unknown')}</Fact>
        <Fact term={i18n.t('diagnose.cipher')}>{tls.cipher ? <span className={styles.mono}>{tls.cipher}</span> : i18n.t('diagnose.unknown')}</Fact>
        <Fact term={i18n.t('diagnose.chainValid')}>
          <Validity valid={tls.chainValid} reason={tls.chainError} />
        </Fact>
        <Fact term={i18n.t('diagnose.nameValid')}>
          <Validity valid={tls.nameValid} reason={tls.nameError} />
        </Fact>
      </dl>
      {tls.serverChain.length > 0 && <ServerChain chain={tls.serverChain} />}
    </>
  );
}

/** What became of the client certificate, and the HTTP status reached. */
function ClientCertificateFacts(props: { readonly diagnosis: Diagnosis }) {
  const i18n = useI18n();
  const styles = useStyles();
  const d = props.diagnosis;
  const client = d.clientCertificate;
  return (
    <dl className={styles.grid}>
      <Fact term={i18n.t('diagnose.required')}>{yesNo(i18n, client.required)}</Fact>
      <Fact term={i18n.t('diagnose.presented')}>
        {client.presented ? (
          <>
            {client.presented.id} <Thumbprint value={client.presented.thumbprint} />
          </>
        ) : (
          i18n.t('common.none')
        )}
      </Fact>
      <Fact term={i18n.t('diagnose.accepted')}>{yesNo(i18n, client.accepted)}</Fact>
      {client.alert && (
        <Fact term={i18n.t('diagnose.alert')}>
          <span className={styles.mono}>{client.alert}</span>
        </Fact>
      )}
      <Fact term={i18n.t('diagnose.httpStatus')}>{d.httpStatus === null ? i18n.t('diagnose.notReached') : String(d.httpStatus)}</Fact>
    </dl>
  );
}

/** The whole report of one diagnosis. */
export function DiagnosisView(props: { readonly diagnosis: Diagnosis; readonly unsavedCertificate?: string | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  const heading = useRef<HTMLHeadingElement>(null);
  const d = props.diagnosis;
  useEffect(() => heading.current?.focus(), [d]);
  return (
    <section className={styles.root} aria-labelledby="diagnosis-heading" data-testid="diagnosis">
      <Text as="h3" size={400} weight="semibold" id="diagnosis-heading" className={styles.heading} ref={heading} tabIndex={-1}>
        {d.operationId === undefined ? i18n.t('diagnose.title', { url: d.url }) : i18n.t('diagnose.titleOperation', { operation: d.operationId, url: d.url })}
      </Text>
      {props.unsavedCertificate && <Text>{i18n.t('diagnose.unsaved', { name: props.unsavedCertificate })}</Text>}
      <DiagnosisSummary diagnosis={d} />
      <DiagnosisSteps steps={d.steps} />
      <Text as="h4" weight="semibold">
        {i18n.t('diagnose.tls')}
      </Text>
      <TlsSession tls={d.tls} />
      <Text as="h4" weight="semibold">
        {i18n.t('diagnose.clientCertificate')}
      </Text>
      <ClientCertificateFacts diagnosis={d} />
    </section>
  );
}

/** The diagnosis area of the Security tab: nothing yet, running, an error in words, or the report. */
export function DiagnosisPanel(props: { readonly state: DiagnoseState; readonly certificates: readonly CertificateWithUsage[] }) {
  const i18n = useI18n();
  const { state } = props;
  switch (state.status) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div role="status">
          <Spinner size="small" label={i18n.t('diagnose.running')} labelPosition="after" />
        </div>
      );
    case 'failed':
      return <ErrorBar error={state.error} title={i18n.t('diagnose.failed')} />;
    case 'done': {
      const certificate = state.certificateId ? props.certificates.find((c) => c.id === state.certificateId) : undefined;
      const name = certificate ? certificate.commonName || certificate.subject : state.certificateId;
      return <DiagnosisView diagnosis={state.diagnosis} unsavedCertificate={name} />;
    }
  }
}
