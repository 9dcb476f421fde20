import { describe, expect, it } from 'vitest';
import type { ClientDescription } from '../../../../main/core/diagnose/certificates';
import { certificateRejectedProblem, untrustedProblems } from '../../../../main/core/diagnose/explain';

const client: ClientDescription = {
  id: 'client1',
  thumbprint: 'AB12CD34EF56AB12CD34EF56AB12CD34EF560A1B',
  name: 'client1',
  issuer: 'CN=Contoso Issuing CA,O=Contoso',
  selfSigned: false,
  notAfter: '2030-01-01T00:00:00.000Z',
  expired: false,
};

/** The explanations of refusals that real test servers do not easily produce. */
describe('explanations', () => {
  it('names the issuer to give the back end', () => {
    expect(certificateRejectedProblem(client, 'unknown_ca')).toEqual({
      code: 'backend-certificate-rejected',
      message: 'The back end does not trust the issuer of client1 (CN=Contoso Issuing CA,O=Contoso): it refused the certificate with TLS alert unknown_ca.',
      fix: "Give it the 'Contoso Issuing CA' certificate, or use a client certificate it trusts.",
    });
    expect(certificateRejectedProblem({ ...client, selfSigned: true, issuer: 'CN=client1' }, 'unknown_ca').fix).toBe(
      "Give it the 'client1' certificate itself, or use a client certificate issued by a CA it trusts.",
    );
  });

  it('says an expired client certificate expired, whatever the alert', () => {
    const p = certificateRejectedProblem({ ...client, expired: true, notAfter: '2025-01-01T00:00:00.000Z' }, 'bad_certificate');
    expect(p.message).toBe('The client certificate client1 expired on 2025-01-01: it refused the certificate with TLS alert bad_certificate.');
    expect(p.fix).toContain('Upload a renewed certificate');
  });

  it('access_denied, certificate_revoked, certificate_expired and other alerts each get their own words', () => {
    expect(certificateRejectedProblem(client, 'access_denied').fix).toContain(`thumbprint ${client.thumbprint}`);
    expect(certificateRejectedProblem(client, 'certificate_revoked').message).toContain('is revoked');
    expect(certificateRejectedProblem(client, 'certificate_expired').message).toContain("by this machine's clock it is valid until 2030-01-01");
    expect(certificateRejectedProblem(client, 'bad_certificate').fix).toContain('extended key usage clientAuth');
  });

  it('a self-signed server certificate and an expired CA certificate of the chain', () => {
    const leaf = { subject: 'CN=api', issuer: 'CN=api', thumbprint: 'AA', notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2040-01-01T00:00:00.000Z', subjectAltNames: [] };
    expect(untrustedProblems([leaf], 'DEPTH_ZERO_SELF_SIGNED_CERT', new Date())[0]?.message).toBe(
      "The back end's certificate is self-signed (CN=api) and this API does not trust it (DEPTH_ZERO_SELF_SIGNED_CERT).",
    );
    const ca = { ...leaf, subject: 'CN=Old CA', issuer: 'CN=Old CA', notAfter: '2021-01-01T00:00:00.000Z' };
    expect(untrustedProblems([{ ...leaf, issuer: 'CN=Old CA' }, ca], 'CERT_HAS_EXPIRED', new Date())).toEqual([
      {
        code: 'backend-untrusted',
        message: 'A CA certificate the back end sends expired on 2021-01-01 (CN=Old CA).',
        fix: 'Have the server send a current chain (renew or replace that CA certificate).',
      },
    ]);
  });
});
