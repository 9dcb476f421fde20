/** What a file reader (PKCS #12 or PEM) hands over: certificates and keys as DER, and how they were protected. */
import type { CertificateInfo, FileProtection } from '../../../preload/contract';
import type { SchemeSummary } from './protection';

/** A certificate found in the file, in file order. */
export interface CertEntry {
  readonly der: Uint8Array;
  readonly friendlyName: string | null;
  readonly localKeyId: Uint8Array | null;
}

/** A private key found in the file (decrypted, PKCS #8 DER). */
export interface KeyEntry {
  readonly pkcs8: Uint8Array;
  readonly friendlyName: string | null;
  readonly localKeyId: Uint8Array | null;
  /** How the key was encrypted in the file; null when it was in the clear. */
  readonly scheme: SchemeSummary | null;
}

/** Everything a reader found. */
export interface Extracted {
  readonly format: FileProtection['format'];
  readonly certs: readonly CertEntry[];
  readonly keys: readonly KeyEntry[];
  /** Schemes that encrypted certificates (PKCS #12 encrypted data). */
  readonly certSchemes: readonly SchemeSummary[];
  readonly mac: SchemeSummary | null;
}

/** A parsed client certificate file: metadata for the store, key and chain for the vault and the gateway. */
export interface ParsedCertificate {
  readonly info: CertificateInfo;
  /** The private key, unencrypted PKCS #8 PEM. */
  readonly keyPem: string;
  /** PEM of the leaf first, then the other certificates of the file in issuing order. */
  readonly chainPem: string;
}
