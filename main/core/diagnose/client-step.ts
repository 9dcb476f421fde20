/**
 * The client-certificate step of a diagnosis: from a probe without a client certificate and one with the
 * API's (if it has one), whether the back end demands one and whether it accepts ours. Pure over the
 * probes' outcomes.
 */
import type { Diagnosis, DiagnosisProblem, DiagnosisStep } from '../../../preload/contract';
import { classifyBackendError } from '../gateway/classify-backend-error';
import type { ClientCertificateMaterial } from '../gateway/types';
import { describeClient } from './certificates';
import { certificateRejectedProblem, certificateRequiredProblem, closedWithoutAlertProblem } from './explain';
import type { ProbeOutcome } from './probe';

/** A refusal over the client certificate: a TLS alert, or a close right after the handshake (alert null). */
export interface Refusal {
  readonly alert: string | null;
}

/** Whether a probe ended because the back end refused its client certificate (or the lack of one). */
export function refusal(outcome: ProbeOutcome, presented: boolean): Refusal | null {
  if (outcome.status !== null || outcome.timedOut) return null;
  if (outcome.closedAfterHandshake) return { alert: null };
  if (outcome.error === null) return null;
  const failure = classifyBackendError(outcome.error, { clientCertificatePresented: presented });
  const byCertificate = failure.code === 'backend-certificate-required' || failure.code === 'backend-certificate-rejected';
  return byCertificate && failure.alert !== null ? { alert: failure.alert } : null;
}

/**
 * Whether the back end refused our client certificate. Besides an alert or a close right after the
 * handshake, a TLS 1.2 server that hangs up mid-handshake counts too once the probe without a certificate
 * showed that the same server completes (or refuses over the certificate) a handshake: Node.js servers
 * refuse an untrusted certificate that way under TLS 1.2.
 */
export function refusalOfOurs(bare: ProbeOutcome, withCert: ProbeOutcome | null): Refusal | null {
  if (!withCert) return null;
  const direct = refusal(withCert, true);
  if (direct) return direct;
  const bareGotFar = bare.tls !== null || refusal(bare, false) !== null;
  return withCert.failedIn === 'tls' && withCert.closed && bareGotFar ? { alert: null } : null;
}

function isAuthStatus(status: number | null): boolean {
  return status === 401 || status === 403;
}

/** The client-certificate step's result. */
export interface ClientEvaluation {
  readonly clientCertificate: Diagnosis['clientCertificate'];
  readonly step: DiagnosisStep;
  readonly problems: readonly DiagnosisProblem[];
}

function alertText(r: Refusal | null): string {
  return r?.alert ? `TLS alert ${r.alert}` : 'it closed the connection without a TLS alert';
}

function said(r: Refusal | null): string {
  return r?.alert ? `TLS alert ${r.alert}` : 'it closed the connection without a TLS alert, as Node.js servers do';
}

/** The API sends no client certificate: only whether the back end wants one can be told. */
function evaluateWithoutCertificate(bare: ProbeOutcome, bareRefusal: Refusal | null, durationMs: number): ClientEvaluation {
  const base = { presented: null, accepted: null, alert: bareRefusal?.alert ?? null };
  if (bare.status !== null) {
    return {
      clientCertificate: { required: false, ...base },
      step: {
        step: 'client-certificate',
        outcome: 'ok',
        durationMs,
        detail: isAuthStatus(bare.status)
          ? `Not required during the handshake: the back end answered without one, with HTTP ${bare.status} (a back end that checks certificates itself may still want one).`
          : `Not required: the back end answered without one (HTTP ${bare.status}).`,
      },
      problems: [],
    };
  }
  if (bareRefusal?.alert) {
    return {
      clientCertificate: { required: true, ...base },
      step: { step: 'client-certificate', outcome: 'failed', durationMs, detail: `Required: the back end refused a connection without one (${alertText(bareRefusal)}); this API sends none.` },
      problems: [certificateRequiredProblem(bareRefusal.alert)],
    };
  }
  if (bareRefusal) {
    return {
      clientCertificate: { required: null, ...base },
      step: { step: 'client-certificate', outcome: 'warning', durationMs, detail: 'Perhaps required: the back end closed the connection right after the handshake, without a TLS alert.' },
      problems: [closedWithoutAlertProblem()],
    };
  }
  const detail = 'Could not be told: the connection failed before the back end answered.';
  return { clientCertificate: { required: null, ...base }, step: { step: 'client-certificate', outcome: 'skipped', durationMs, detail }, problems: [] };
}

/** Whether the back end requires a client certificate, told from the probe without one (and the one with ours). */
function requirement(bare: ProbeOutcome, bareRefusal: Refusal | null, answered: boolean, httpLevel: boolean): { readonly required: boolean | null; readonly text: string } {
  const required = bareRefusal && (bareRefusal.alert !== null || answered) ? true : httpLevel ? true : bare.status !== null ? false : null;
  const text =
    required === true
      ? httpLevel
        ? `Required: without one the back end answers HTTP ${bare.status}.`
        : `Required: the back end refused a connection without one (${alertText(bareRefusal)}).`
      : required === false
        ? `Not required: the back end answered without one (HTTP ${bare.status}).`
        : 'Whether it is required could not be told.';
  return { required, text };
}

/** The API sends `material`: whether the back end requires one and whether it accepts ours. */
function evaluateWithCertificate(
  material: ClientCertificateMaterial,
  bare: ProbeOutcome,
  withCert: ProbeOutcome | null,
  bareRefusal: Refusal | null,
  durationMs: number,
  now: Date,
): ClientEvaluation {
  const client = describeClient(material, now);
  const presented = { id: material.id, thumbprint: material.thumbprint };
  const ours = refusalOfOurs(bare, withCert);
  const answered = withCert !== null && withCert.status !== null;
  const accepted = answered ? true : ours ? false : null;
  const httpLevel = bare.status !== null && answered && isAuthStatus(bare.status) && !isAuthStatus(withCert.status);
  const { required, text: requiredText } = requirement(bare, bareRefusal, answered, httpLevel);
  const who = `${client.name} (thumbprint …${material.thumbprint.slice(-4)})`;
  const clientCertificate = { required, presented, accepted, alert: ours?.alert ?? null };
  if (accepted === true) {
    const expired = client.expired && client.notAfter ? ` It expired on ${client.notAfter.slice(0, 10)}, though: renew it.` : '';
    return {
      clientCertificate,
      step: { step: 'client-certificate', outcome: expired ? 'warning' : 'ok', durationMs, detail: `${requiredText} It accepted ${who}.${expired}` },
      problems: [],
    };
  }
  if (accepted === false) {
    return {
      clientCertificate,
      step: { step: 'client-certificate', outcome: 'failed', durationMs, detail: `${requiredText} It refused ${who}: ${said(ours)}.` },
      problems: [certificateRejectedProblem(client, ours?.alert ?? null)],
    };
  }
  return {
    clientCertificate,
    step: { step: 'client-certificate', outcome: 'skipped', durationMs, detail: `${requiredText} Whether it accepts ${who} could not be told: the connection failed.` },
    problems: [],
  };
}

/**
 * `bare` was sent without a client certificate; `withCert` with the API's (null when the API has none or
 * it could not be tried).
 */
export function evaluateClientCertificate(
  material: ClientCertificateMaterial | null,
  bare: ProbeOutcome,
  withCert: ProbeOutcome | null,
  now: Date,
): ClientEvaluation {
  const bareRefusal = refusal(bare, false);
  const durationMs = bare.totalMs + (withCert?.totalMs ?? 0);
  return material
    ? evaluateWithCertificate(material, bare, withCert, bareRefusal, durationMs, now)
    : evaluateWithoutCertificate(bare, bareRefusal, durationMs);
}
