/**
 * What an export is made from (the model: APIs, the certificates and CAs they use, secrets only with keys)
 * and what a format renders (planned files and warnings). Renderers are pure functions of the model.
 */
import type { HeaderAction } from '../gateway/types';

/** A client certificate used by an exported API. */
export interface ExportCertificate {
  readonly id: string;
  readonly subject: string;
  readonly thumbprint: string;
  readonly keyType: 'RSA' | 'EC' | 'Ed25519';
  /** Leaf first, then the chain (public); null when the vault could not be read. */
  readonly chainPem: string | null;
  /** PKCS#8 PEM; only in an export with keys. */
  readonly keyPem: string | null;
}

/** A trusted CA certificate used by an exported API (public). */
export interface ExportCa {
  readonly id: string;
  readonly subject: string;
  readonly pem: string;
  readonly notAfter: string;
}

/** How an exported API authenticates to its back end. */
export type ExportCredential =
  | { readonly type: 'none' }
  | { readonly type: 'certificate'; readonly certificateId: string }
  | {
      readonly type: 'basic';
      readonly username: string;
      /** The named value the policy refers to for the password. */
      readonly namedValue: string;
      /** Only in an export with keys. */
      readonly password: string | null;
    };

/** One operation of an API, resolved for export: its composed credential and headers (global, API, operation). */
export interface ExportOperation {
  readonly id: string;
  readonly displayName: string;
  /** Upper-case method, or `*` for any. */
  readonly method: string;
  /** `/orders/{orderId}/refund`, optionally with a query part. */
  readonly urlTemplate: string;
  readonly description: string;
  readonly credential: ExportCredential;
  readonly inboundHeaders: readonly HeaderAction[];
  readonly outboundHeaders: readonly HeaderAction[];
  /** The operation's own policy document, as stored. */
  readonly policyXml: string;
}

/** One API, resolved for export. */
export interface ExportApi {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** URL suffix: '' or segments without leading or trailing slash. */
  readonly path: string;
  readonly serviceUrl: string;
  readonly validateCertificateChain: boolean;
  readonly validateCertificateName: boolean;
  /** Ids of the trusted CAs that exist (missing ones are reported as warnings). */
  readonly caIds: readonly string[];
  readonly credential: ExportCredential;
  /** `set-header` statements for the request (framing headers and invalid values already dropped, as the gateway does). */
  readonly inboundHeaders: readonly HeaderAction[];
  /** `set-header` statements for the response. */
  readonly outboundHeaders: readonly HeaderAction[];
  /** The policy document, as stored. */
  readonly policyXml: string;
  /** None: every path is forwarded. Some: only calls that match one are (the others are answered 404 `no-operation`). */
  readonly operations: readonly ExportOperation[];
}

/** Everything an export is made from. */
export interface ExportModel {
  readonly withKeys: boolean;
  readonly apis: readonly ExportApi[];
  /** Certificates used by the exported APIs, by id. */
  readonly certificates: ReadonlyMap<string, ExportCertificate>;
  /** CA certificates trusted by the exported APIs, by id. */
  readonly caCertificates: ReadonlyMap<string, ExportCa>;
  /** The global policy ("All APIs") as stored, or null when it is the default (does nothing). */
  readonly globalPolicyXml: string | null;
  readonly now: Date;
}

/** A file a format produces. */
export interface PlannedFile {
  /** Relative to the output folder, with '/' separators. */
  readonly path: string;
  /** What to write; null when the operator supplies the file (a key left out, a certificate unreadable). */
  readonly content: string | Uint8Array | null;
  /** Holds (or, when content is null, must hold) a private key or a password: written 0600, never shown. */
  readonly secret: boolean;
}

/** What a format renders. */
export interface RenderedExport {
  readonly files: readonly PlannedFile[];
  readonly warnings: readonly string[];
}
