/** Certificate metadata (identity, names, dates, SANs) and chain ordering, with Node's X509Certificate. */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateInfo, ChainEntry } from '../../../preload/contract';
import type { DerBudget } from './der';
import { refuse } from './errors';
import type { CertEntry } from './extracted';
import { certificateFields, type CertificateFields } from './names';

/** A certificate of the file, parsed once. */
export interface LoadedCertificate {
  readonly x509: X509Certificate;
  readonly entry: CertEntry;
  readonly thumbprint: string;
  readonly fields: CertificateFields;
}

/** The metadata of a certificate without anything about its key or file. */
export type CertificateSummary = Omit<CertificateInfo, 'protection' | 'friendlyName' | 'keyType' | 'keySize' | 'curve'>;

function hexDigest(algorithm: 'sha1' | 'sha256', der: Uint8Array): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

/** Parse one certificate; an unreadable one makes the whole file unreadable. */
export function loadCertificate(entry: CertEntry, budget: DerBudget): LoadedCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(Buffer.from(entry.der));
  } catch {
    return refuse('invalid-format', 'CertGate cannot read a certificate in {file}: it is damaged.', 'certificate');
  }
  return { x509, entry, thumbprint: hexDigest('sha1', entry.der), fields: certificateFields(entry.der, budget) };
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent);
  } catch {
    return false;
  }
}

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** True when the certificate names itself as issuer and its signature verifies with its own key. */
export function isSelfSigned(cert: X509Certificate): boolean {
  return issuedBy(cert, cert) && signedBy(cert, cert);
}

/** The leaf, then its issuers as far as the file goes, then any other certificates in file order. */
export function orderChain(leaf: LoadedCertificate, others: readonly LoadedCertificate[]): LoadedCertificate[] {
  const rest = others.filter((c) => c.thumbprint !== leaf.thumbprint);
  const chain = [leaf];
  let current = leaf;
  while (rest.length > 0 && !issuedBy(current.x509, current.x509)) {
    const candidates = rest.filter((c) => issuedBy(current.x509, c.x509));
    const next = candidates.find((c) => signedBy(current.x509, c.x509)) ?? candidates[0];
    if (!next) break;
    rest.splice(rest.indexOf(next), 1);
    chain.push(next);
    current = next;
  }
  return [...chain, ...rest];
}

/** The chain entry of one certificate. */
export function chainEntry(cert: LoadedCertificate): ChainEntry {
  const { subject, issuer, notBefore, notAfter } = cert.fields;
  return { subject, issuer, thumbprint: cert.thumbprint, notBefore, notAfter };
}

/** The metadata of `cert`, with `chain` (leaf first) as its chain. */
export function summarize(cert: LoadedCertificate, chain: readonly LoadedCertificate[]): CertificateSummary {
  const { subject, issuer, commonName, notBefore, notAfter } = cert.fields;
  return {
    subject,
    commonName,
    issuer,
    serialNumber: cert.x509.serialNumber.toUpperCase(),
    thumbprint: cert.thumbprint,
    sha256Fingerprint: hexDigest('sha256', cert.entry.der),
    notBefore,
    notAfter,
    subjectAltNames: splitSubjectAltNames(cert.x509.subjectAltName),
    selfSigned: isSelfSigned(cert.x509),
    chain: chain.map(chainEntry),
  };
}

/**
 * Split Node's subjectAltName ("DNS:a.example, IP Address:127.0.0.1"). Node writes a value that
 * contains separators as a JSON string (DNS:"a, b"); such values are unquoted here.
 */
export function splitSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) {
      out.push(text.slice(i));
      break;
    }
    const prefix = text.slice(i, colon + 1);
    let j = colon + 1;
    let value: string;
    if (text[j] === '"') {
      let k = j + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      const quoted = text.slice(j, k + 1);
      try {
        value = JSON.parse(quoted) as string;
      } catch {
        value = quoted;
      }
      j = k + 1;
    } else {
      const next = text.indexOf(', ', j);
      const stop = next < 0 ? text.length : next;
      value = text.slice(j, stop);
      j = stop;
    }
    out.push(prefix + value);
    i = text.startsWith(', ', j) ? j + 2 : j;
  }
  return out;
}
