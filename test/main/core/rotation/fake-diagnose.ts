/**
 * A stand-in for `apis.diagnose` in rotation tests (the real diagnosis is another engineer's work): it passes
 * or fails each API as the test says and records what it was asked. Test files route
 * `vi.mock('…/services/diagnose-service', …)` to `fakeDiagnoseOperations`.
 */
import { ok, type Diagnosis, type Operations } from '../../../../preload/contract';

/** What the fake does and saw. */
export const fakeDiagnose = {
  /** APIs whose preflight fails. */
  failing: new Set<string>(),
  calls: [] as { apiId: string; certificateId: string | undefined }[],
  reset(): void {
    this.failing.clear();
    this.calls.length = 0;
  },
};

/** A diagnosis that passed or failed. */
export function diagnosis(apiId: string, passed: boolean, certificateId = 'unknown'): Diagnosis {
  return {
    apiId,
    url: `https://backend.invalid/${apiId}`,
    ok: passed,
    steps: [{ step: 'client-certificate', outcome: passed ? 'ok' : 'failed', durationMs: 1, detail: passed ? 'accepted' : 'refused' }],
    tls: null,
    clientCertificate: { required: true, presented: { id: certificateId, thumbprint: '' }, accepted: passed, alert: passed ? null : 'bad certificate' },
    httpStatus: passed ? 200 : null,
    problems: passed ? [] : [{ code: 'backend-certificate-rejected', message: 'The back end refused the certificate.', fix: 'Have the back end trust its issuer.' }],
  };
}

/** The replacement for `diagnoseOperations`. */
export function fakeDiagnoseOperations(): Pick<Operations, 'apis.diagnose'> {
  return {
    async 'apis.diagnose'({ id, certificateId }) {
      fakeDiagnose.calls.push({ apiId: id, certificateId });
      return ok(diagnosis(id, !fakeDiagnose.failing.has(id), certificateId));
    },
  };
}
