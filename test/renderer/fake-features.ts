/**
 * The fake client's diagnosis, expiry and export: plain functions over its data, with the core's rules
 * (every step reported, chains that expire first, key files listed without content).
 */
import type {
  Api,
  Certificate,
  CertificateUsage,
  Diagnosis,
  DiagnosisProblem,
  DiagnosisStep,
  ExpiringCertificate,
  ExportFile,
  ExportResult,
  Security,
} from '../../preload/contract';

const DAY = 86_400_000;

/** How a fake back end behaves when diagnosed (a rotation's preflight included). */
export interface FakeBackend {
  /** Nothing listens at the web service URL. */
  readonly unreachable?: boolean;
  /** Ids of client certificates the back end refuses. */
  readonly rejects?: readonly string[];
  /** Whether it demands a client certificate (default true). */
  readonly requiresCertificate?: boolean;
}

const STEPS: readonly DiagnosisStep['step'][] = ['resolve', 'connect', 'tls', 'client-certificate', 'http'];

/** A diagnosis of `api`'s back end presenting `presented` (or nothing), as the core would report it. */
export function fakeDiagnosis(api: Api, presented: Certificate | undefined, backend: FakeBackend = {}): Diagnosis {
  const url = new URL(api.serviceUrl);
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const steps: DiagnosisStep[] = [{ step: 'resolve', outcome: 'ok', durationMs: 1, detail: `${host} resolves to 127.0.0.1.` }];
  const problems: DiagnosisProblem[] = [];
  const finish = (tls: Diagnosis['tls'], clientCertificate: Diagnosis['clientCertificate'], httpStatus: number | null): Diagnosis => ({
    apiId: api.id,
    url: api.serviceUrl,
    ok: problems.length === 0,
    steps: STEPS.map((name) => steps.find((s) => s.step === name) ?? { step: name, outcome: 'skipped', durationMs: 0, detail: 'Not run: an earlier step failed.' }),
    tls,
    clientCertificate,
    httpStatus,
    problems,
  });
  const presentedRef = presented ? { id: presented.id, thumbprint: presented.thumbprint } : null;

  if (backend.unreachable) {
    steps.push({ step: 'connect', outcome: 'failed', durationMs: 2, detail: `connect ECONNREFUSED 127.0.0.1:${port}` });
    problems.push({ code: 'backend-unreachable', message: `Nothing is listening at ${host}:${port}.`, fix: 'Start the back end, or fix the web service URL.' });
    return finish(null, { required: null, presented: presentedRef, accepted: null, alert: null }, null);
  }
  steps.push({ step: 'connect', outcome: 'ok', durationMs: 3, detail: `Connected to 127.0.0.1:${port}.` });
  const now = Date.now();
  const tls: Diagnosis['tls'] = {
    version: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    serverChain: [
      {
        subject: `CN=${host}`,
        issuer: 'CN=Echo CA,O=CertGate',
        thumbprint: 'A'.repeat(40),
        notBefore: new Date(now - 10 * DAY).toISOString(),
        notAfter: new Date(now + 355 * DAY).toISOString(),
        subjectAltNames: [`DNS:${host}`, 'IP Address:127.0.0.1'],
      },
      {
        subject: 'CN=Echo CA,O=CertGate',
        issuer: 'CN=Echo CA,O=CertGate',
        thumbprint: 'B'.repeat(40),
        notBefore: new Date(now - 10 * DAY).toISOString(),
        notAfter: new Date(now + 3640 * DAY).toISOString(),
        subjectAltNames: [],
      },
    ],
    chainValid: true,
    chainError: null,
    nameValid: true,
    nameError: null,
  };
  steps.push({ step: 'tls', outcome: 'ok', durationMs: 8, detail: 'TLSv1.3 with TLS_AES_256_GCM_SHA384; the chain and the name are valid.' });

  const required = backend.requiresCertificate ?? true;
  if (!presented) {
    if (required) {
      steps.push({ step: 'client-certificate', outcome: 'failed', durationMs: 4, detail: 'The back end demands a client certificate and none was presented.' });
      problems.push({ code: 'backend-certificate-required', message: 'The back end demands a client certificate.', fix: 'Choose one on the Security tab.' });
      return finish(tls, { required: true, presented: null, accepted: null, alert: 'certificate required' }, null);
    }
    steps.push({ step: 'client-certificate', outcome: 'skipped', durationMs: 0, detail: 'The back end does not ask for one.' });
  } else if (backend.rejects?.includes(presented.id)) {
    steps.push({ step: 'client-certificate', outcome: 'failed', durationMs: 4, detail: `The back end refused ${presented.id}.` });
    problems.push({
      code: 'backend-certificate-rejected',
      message: `The back end refused the client certificate "${presented.id}".`,
      fix: 'Have the back end trust its issuer, or choose another certificate.',
    });
    return finish(tls, { required, presented: presentedRef, accepted: false, alert: 'unknown ca' }, null);
  } else {
    steps.push({ step: 'client-certificate', outcome: 'ok', durationMs: 4, detail: `The back end accepted ${presented.id}.` });
  }
  steps.push({ step: 'http', outcome: 'ok', durationMs: 5, detail: 'GET / answered 200 OK.' });
  return finish(tls, { required, presented: presentedRef, accepted: presented ? true : null, alert: null }, 200);
}

/** The certificate of a chain that expires first (the leaf unless a CA certificate expires before it). */
function firstToExpire(c: Certificate): { which: 'leaf' | 'chain'; subject: string; notAfter: string } {
  let best: { which: 'leaf' | 'chain'; subject: string; notAfter: string } = { which: 'leaf', subject: c.subject, notAfter: c.notAfter };
  for (const entry of c.chain.slice(1)) {
    if (Date.parse(entry.notAfter) < Date.parse(best.notAfter)) best = { which: 'chain', subject: entry.subject, notAfter: entry.notAfter };
  }
  return best;
}

function thresholdFor(msLeft: number): ExpiringCertificate['threshold'] {
  if (msLeft <= 0) return 0;
  if (msLeft <= DAY) return 1;
  return msLeft <= 7 * DAY ? 7 : 30;
}

/** `certificates.expiring` over the fake's certificates, most urgent first. */
export function fakeExpiring(
  certificates: readonly Certificate[],
  usedBy: (id: string) => readonly CertificateUsage[],
  withinDays: number,
): ExpiringCertificate[] {
  const now = Date.now();
  return certificates
    .map((c) => ({ c, first: firstToExpire(c) }))
    .map(({ c, first }) => ({ c, first, msLeft: Date.parse(first.notAfter) - now }))
    .filter(({ msLeft }) => msLeft <= withinDays * DAY)
    .sort((a, b) => a.msLeft - b.msLeft)
    .map(({ c, first, msLeft }) => ({
      certificateId: c.id,
      subject: c.subject,
      thumbprint: c.thumbprint,
      which: first.which,
      expiringSubject: first.subject,
      notAfter: first.notAfter,
      daysLeft: (msLeft >= 0 ? Math.floor(msLeft / DAY) : -Math.floor(-msLeft / DAY)) + 0,
      threshold: thresholdFor(msLeft),
      usedBy: usedBy(c.id),
    }));
}

/** What the export needs to know of an API. */
export interface ExportApi {
  readonly api: Api;
  readonly security: Security;
  readonly policy: string;
}

function keyFile(path: string): ExportFile {
  return { path, content: null, containsPrivateKey: true };
}

/** `export.preview`: the files of a format, key files listed without content. */
export function fakeExport(format: ExportResult['format'], apis: readonly ExportApi[], outDir: string | null): ExportResult {
  const warnings = apis.filter((a) => a.security.type === 'none').map((a) => `"${a.api.displayName}" presents no client certificate to its back end.`);
  if (apis.length === 0) return { format, outDir, files: [], warnings: [] };
  const certIds = [...new Set(apis.flatMap((a) => (a.security.type === 'certificate' ? [a.security.certificateId] : [])))];
  let files: ExportFile[];
  switch (format) {
    case 'kong': {
      const services = apis.map((a) => `  - name: ${a.api.id}\n    url: ${a.api.serviceUrl}\n    routes:\n      - paths: [/${a.api.path}]`).join('\n');
      files = [{ path: 'kong.yaml', content: `_format_version: "3.0"\nservices:\n${services}\n`, containsPrivateKey: false }, ...certIds.map((id) => keyFile(`keys/${id}.key`))];
      break;
    }
    case 'nginx': {
      const locations = apis.map((a) => `  location /${a.api.path}/ {\n    proxy_pass ${a.api.serviceUrl}/;\n  }`).join('\n');
      files = [
        { path: 'certgate.conf', content: `server {\n  listen 8787;\n${locations}\n}\n`, containsPrivateKey: false },
        ...certIds.flatMap((id) => [
          { path: `certs/${id}.crt`, content: `-----BEGIN CERTIFICATE-----\nMIIB${id}\n-----END CERTIFICATE-----\n`, containsPrivateKey: false },
          keyFile(`certs/${id}.key`),
        ]),
      ];
      break;
    }
    case 'apim':
      files = [
        { path: 'main.bicep', content: `param serviceName string\n// ${apis.length} APIs\n`, containsPrivateKey: false },
        { path: 'azuredeploy.parameters.json', content: '{\n  "parameters": {}\n}\n', containsPrivateKey: false },
        ...apis.map((a) => ({ path: `policies/${a.api.id}.xml`, content: a.policy, containsPrivateKey: false })),
        ...certIds.map((id) => keyFile(`certificates/${id}.pfx`)),
      ];
      break;
  }
  return { format, outDir, files, warnings };
}
