/**
 * Certificates as a diagnosis shows them: the back end's chain (RFC 4514 names, SHA-1 thumbprints, ISO
 * dates, SANs) and a short description of the client certificate we present. Metadata only, never keys.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import type { ServerCertificateEntry } from '../../../preload/contract';
import { splitSubjectAltNames } from '../certificates/certificate-info';
import { newBudget } from '../certificates/der';
import { certificateFields } from '../certificates/names';
import type { ClientCertificateMaterial } from '../gateway/types';

const MAX_CHAIN = 10;

function thumbprintOf(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** Subject, issuer and dates: from the DER (RFC 4514), or from Node's parse if our reader refuses it. */
function fields(der: Buffer): { subject: string; issuer: string; commonName: string; notBefore: string; notAfter: string } {
  try {
    return certificateFields(der, newBudget());
  } catch {
    const x509 = new X509Certificate(der);
    const rfc4514 = (name: string): string => name.split('\n').reverse().join(',');
    return {
      subject: rfc4514(x509.subject),
      issuer: rfc4514(x509.issuer),
      commonName: commonName(rfc4514(x509.subject)) ?? '',
      notBefore: new Date(x509.validFrom).toISOString(),
      notAfter: new Date(x509.validTo).toISOString(),
    };
  }
}

/** The back end's chain, leaf first, as far as the handshake (and the trust store) let Node follow it. */
export function serverChain(peer: DetailedPeerCertificate | null): ServerCertificateEntry[] {
  const out: ServerCertificateEntry[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = peer ?? undefined;
  while (cert?.raw && out.length < MAX_CHAIN) {
    const thumbprint = thumbprintOf(cert.raw);
    if (seen.has(thumbprint)) break;
    seen.add(thumbprint);
    try {
      const f = fields(cert.raw);
      out.push({
        subject: f.subject,
        issuer: f.issuer,
        thumbprint,
        notBefore: f.notBefore,
        notAfter: f.notAfter,
        subjectAltNames: splitSubjectAltNames(cert.subjectaltname),
      });
    } catch {
      break;
    }
    cert = cert.issuerCertificate;
  }
  return out;
}

/** The CN of an RFC 4514 name (the most specific one), unescaped; null when it has none. */
export function commonName(name: string): string | null {
  const match = /(?:^|,)CN=((?:\\.|[^,\\])*)/.exec(name);
  if (!match?.[1]) return null;
  return match[1].replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, c: string) => (c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c));
}

/** A name as people say it: its CN, else the whole name. */
export function shortName(name: string): string {
  return commonName(name) ?? name;
}

/** The client certificate we present, as the explanations need it. */
export interface ClientDescription {
  readonly id: string;
  readonly thumbprint: string;
  /** Its CN, else its id. */
  readonly name: string;
  readonly issuer: string;
  readonly selfSigned: boolean;
  readonly notAfter: string | null;
  readonly expired: boolean;
}

/** Describe the route's client certificate (the leaf: the first certificate of its PEM chain). */
export function describeClient(material: ClientCertificateMaterial, now: Date): ClientDescription {
  const base = { id: material.id, thumbprint: material.thumbprint };
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(material.certPem)?.[0];
  try {
    if (!pem) throw new Error('no certificate');
    const f = fields(new X509Certificate(pem).raw);
    return {
      ...base,
      name: f.commonName || material.id,
      issuer: f.issuer,
      selfSigned: f.issuer === f.subject,
      notAfter: f.notAfter,
      expired: Date.parse(f.notAfter) < now.getTime(),
    };
  } catch {
    return { ...base, name: material.id, issuer: '', selfSigned: false, notAfter: null, expired: false };
  }
}
