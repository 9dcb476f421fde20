/**
 * The contract's data: what operations take and return (metadata only; no key material ever crosses).
 * Types only: importing this file adds nothing to a bundle.
 */
import type { ErrorCode } from './result';

/** Details of a `validation` error on a policy document: where the problem is. */
export interface PolicyProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly element?: string;
}

/** Details of an `in-use` error: who refers to the certificate and how. */
export interface CertificateUsage {
  readonly apiId: string;
  readonly apiName: string;
  readonly reference: 'certificate-id' | 'thumbprint' | 'trusted-ca';
  /** Set when the reference is in an operation's policy rather than the API's. */
  readonly operationId?: string;
  readonly operationName?: string;
  /** Set when the reference is in the global policy ("All APIs"); apiId and apiName are then ''. */
  readonly global?: boolean;
}


/** One certificate of a chain, leaf first. */
export interface ChainEntry {
  readonly subject: string;
  readonly issuer: string;
  readonly thumbprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** How the uploaded file protected its content, and whether that is weak. */
export interface FileProtection {
  readonly format: 'pkcs12' | 'pem';
  /** e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC", "pbeWithSHAAnd40BitRC2-CBC", "none". */
  readonly keyEncryption: string;
  readonly certificateEncryption: string;
  /** e.g. "HMAC-SHA256", "PBMAC1/HMAC-SHA512", "none". */
  readonly mac: string;
  readonly iterations: number | null;
  readonly macIterations: number | null;
  readonly weak: boolean;
  readonly weakReasons: readonly string[];
}

/** Everything CertGate knows about a certificate file, without its key. */
export interface CertificateInfo {
  /** RFC 4514 string, most specific first ("CN=client1,O=Contoso"). */
  readonly subject: string;
  readonly commonName: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** SHA-1 of the leaf's DER, upper-case hex without separators. */
  readonly thumbprint: string;
  readonly sha256Fingerprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: 'RSA' | 'EC' | 'Ed25519';
  readonly keySize: number | null;
  readonly curve: string | null;
  readonly subjectAltNames: readonly string[];
  readonly selfSigned: boolean;
  readonly friendlyName: string | null;
  /** The leaf first, then the rest of the file's certificates in issuing order. */
  readonly chain: readonly ChainEntry[];
  readonly protection: FileProtection;
}

/** A stored client certificate (metadata only: the key stays in the vault). */
export interface Certificate extends CertificateInfo {
  readonly id: string;
  readonly uploadedAt: string;
  readonly updatedAt: string;
  /** 1 for the first upload; each replacement (manual, rotation into this id, or a linked file's renewal) adds 1. */
  readonly version?: number;
  /** Set when the certificate follows a file on this machine (`certificates.link`); null or absent otherwise. */
  readonly source?: CertificateSource | null;
}

/** Where a linked certificate comes from, and how its last sync went. */
export interface CertificateSource {
  /** Absolute path of the linked file on the machine that runs CertGate. */
  readonly file: string;
  readonly linkedAt: string;
  /** 'ok': the last check found the file good; 'error': see syncError; 'pending': a change is settling. */
  readonly state: 'ok' | 'error' | 'pending';
  /** The last time the file was read and found good (imported, or unchanged). */
  readonly lastGoodSyncAt: string | null;
  /** Why the last sync changed nothing (missing, unreadable, wrong password, expired, preflight failed). */
  readonly syncError: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly at: string;
    /** The APIs (and operations) that keep the current version and are at risk when it expires. */
    readonly apisAtRisk: readonly string[];
  } | null;
}

/** A certificate file produced by `certificates.export` (base64 content; the key only when asked for). */
export interface ExportedCertificateFile {
  readonly fileName: string;
  readonly mediaType: string;
  /** The file's bytes, base64. */
  readonly data: string;
  readonly containsPrivateKey: boolean;
}

/** What opening a certificate file will cost, read from its structure without deriving any key. */
export interface ParseEstimate {
  readonly format: 'pkcs12' | 'pem' | 'unknown';
  /** Key derivations (PBKDF2 / PKCS #12 KDF runs) a parse with a password will do. */
  readonly derivations: number;
  /** Their rounds added up: what makes a file slow ("5,000,000 key-derivation rounds"). */
  readonly iterations: number;
}

/** A stored client certificate with the APIs that use it. */
export interface CertificateWithUsage extends Certificate {
  readonly usedBy: readonly CertificateUsage[];
}

/** A trusted CA certificate for back-end TLS (public, kept in the store). */
export interface CaCertificate {
  readonly id: string;
  readonly subject: string;
  readonly commonName: string;
  readonly issuer: string;
  readonly thumbprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly pem: string;
  readonly uploadedAt: string;
  readonly usedBy: readonly CertificateUsage[];
}

/** How the gateway checks the back end's certificate. */
export interface BackendTls {
  readonly validateCertificateChain: boolean;
  readonly validateCertificateName: boolean;
  /** Ids of CA certificates trusted for this back end, in addition to the system's. */
  readonly trustedCaCertificateIds: readonly string[];
}

/** An API published through the gateway. */
export interface Api {
  readonly id: string;
  readonly displayName: string;
  /** URL suffix under the gateway: no leading or trailing slash; '' for one API at most. */
  readonly path: string;
  readonly serviceUrl: string;
  readonly description: string;
  readonly backendTls: BackendTls;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An operation of an API: a method (or `*`) and a URL template under the API's path. */
export interface ApiOperation {
  readonly id: string;
  readonly apiId: string;
  readonly displayName: string;
  /** Upper-case HTTP method, or `*` for any. */
  readonly method: string;
  /** `/orders/{orderId}/refund`, optionally with a query part `?status={status}`. */
  readonly urlTemplate: string;
  readonly description: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What an operation's own policy does, beyond inheriting the API's. */
export interface OperationPolicySummary {
  readonly operationId: string;
  /** False while the policy is the default one (every section only `<base />`). */
  readonly own: boolean;
  /** The credential its own policy sets in place of the API's (`none`: it inherits); null if it cannot be read. */
  readonly security: Security | null;
  /** The certificate of a `certificate` credential, when it exists. */
  readonly certificate: ApiSecurity['certificate'];
}

/** The composed policy a call runs: the global, API and (optionally) operation scopes through `<base />`. */
export interface EffectivePolicy {
  readonly apiId: string;
  readonly operationId: string | null;
  /** Read-only XML; each part is preceded by a comment naming its scope. */
  readonly xml: string;
}

/** What an OpenAPI import will do (preview) or did (confirmed). */
export interface OpenApiImportResult {
  readonly apiId: string;
  readonly apiCreated: boolean;
  readonly displayName: string;
  readonly serviceUrl: string;
  readonly path: string;
  /** Operation ids, by what happens to them. */
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly warnings: readonly string[];
  /** False for a preview: nothing was stored. */
  readonly applied: boolean;
}

/** The Security tab's model: how the gateway authenticates to the back end. */
export type Security =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly username: string }
  | { readonly type: 'certificate'; readonly certificateId: string };

/** One API's credential, as `security.list` gives it (the APIs list's Credentials column, in one read). */
export interface ApiSecurity {
  readonly apiId: string;
  /** `null` when its policy cannot be read. */
  readonly security: Security | null;
  /** The certificate it presents, when it presents one that exists. */
  readonly certificate: Pick<Certificate, 'id' | 'subject' | 'commonName' | 'thumbprint' | 'notAfter'> | null;
}

/** An API's policy document (or an operation's, or the global one: apiId '' and `global`). */
export interface Policy {
  readonly apiId: string;
  readonly xml: string;
  readonly operationId?: string;
  readonly global?: boolean;
  /**
   * Set when the stored text does not parse (stored before a rule it breaks, or written by hand): the text is
   * kept as it is, and the API's calls are answered 500 `policy-invalid` until a fixed text is saved.
   */
  readonly problem?: PolicyProblem;
}

/** Console settings. */
export interface Settings {
  readonly language: 'system' | 'en' | 'fr';
  readonly theme: 'system' | 'light' | 'dark';
}

/** How a data folder's vault key is protected: the OS keychain, or a passphrase (headless machines). */
export type VaultProtection = 'keychain' | 'passphrase';

/** What the running CertGate works on, for the status bar and `certgate serve`'s banner. */
export interface AppInfo {
  readonly dataDir: string;
  readonly vault: {
    readonly protection: VaultProtection;
    /** A passphrase vault that has not been given its passphrase yet: private keys cannot be read. */
    readonly locked: boolean;
  };
}

/** The gateway's state, for the status bar and the Gateway page. */
export interface GatewayStatus {
  readonly state: 'starting' | 'running' | 'stopped' | 'failed';
  readonly url: string | null;
  readonly message: string | null;
  readonly startedAt: string | null;
  readonly counters: {
    readonly requests: number;
    readonly errors: number;
    readonly inFlight: number;
    readonly backendHandshakes: number;
  };
  readonly routes: readonly { readonly apiId: string; readonly path: string; readonly serviceUrl: string; readonly certificateId: string | null }[];
}

/** One call through the gateway, as kept in the traffic log. */
export interface TrafficEntry {
  readonly requestId: string;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly apiId: string | null;
  readonly status: number;
  readonly durationMs: number;
  readonly certificateId: string | null;
  /** The operation the call matched, when its API has operations. */
  readonly operationId?: string | null;
  /** The version of the certificate the call presented (see Certificate.version). */
  readonly certificateVersion?: number | null;
  readonly thumbprint: string | null;
  readonly handshake: 'new' | 'reused' | null;
  readonly errorCode: ErrorCode | null;
}

/** The answer to a test call sent from the console. */
export interface TestCallResult {
  readonly status: number;
  readonly durationMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly bodyTruncated: boolean;
  readonly certificateId: string | null;
  readonly thumbprint: string | null;
  readonly errorCode: ErrorCode | null;
}

/** A committed change, emitted by the core after every write. */
export interface ChangeEvent {
  readonly kind: 'certificate' | 'ca-certificate' | 'api' | 'policy' | 'settings' | 'vault';
  readonly action: 'created' | 'updated' | 'deleted';
  readonly id: string;
}

/** One step of a back-end diagnosis. */
export interface DiagnosisStep {
  readonly step: 'resolve' | 'connect' | 'tls' | 'client-certificate' | 'http';
  readonly outcome: 'ok' | 'failed' | 'warning' | 'skipped';
  readonly durationMs: number;
  /** What happened, in words. */
  readonly detail: string;
}

/** A problem found by a diagnosis, with the likely fix. */
export interface DiagnosisProblem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly fix: string;
}

/** The back end's certificate as seen during a diagnosis. */
export interface ServerCertificateEntry extends ChainEntry {
  readonly subjectAltNames: readonly string[];
}

/** What a diagnosis of an API's back end found. Never changes anything. */
export interface Diagnosis {
  readonly apiId: string;
  /** Set when an operation's route was diagnosed (its credential may differ from the API's). */
  readonly operationId?: string;
  readonly url: string;
  readonly ok: boolean;
  readonly steps: readonly DiagnosisStep[];
  readonly tls: {
    readonly version: string | null;
    readonly cipher: string | null;
    readonly serverChain: readonly ServerCertificateEntry[];
    readonly chainValid: boolean | null;
    readonly chainError: string | null;
    readonly nameValid: boolean | null;
    readonly nameError: string | null;
  } | null;
  readonly clientCertificate: {
    /** Whether the back end demands a client certificate (tried without one); null when unknown. */
    readonly required: boolean | null;
    readonly presented: { readonly id: string; readonly thumbprint: string } | null;
    /** Whether it accepted ours; null when none was presented or it could not be told. */
    readonly accepted: boolean | null;
    readonly alert: string | null;
  };
  readonly httpStatus: number | null;
  readonly problems: readonly DiagnosisProblem[];
}

/** An operation whose policy a rotation switched. */
export interface RotationOperation {
  readonly apiId: string;
  readonly operationId: string;
}

/** A certificate rotation: which APIs were switched from the old certificate to the new one. */
export interface Rotation {
  readonly id: string;
  readonly fromCertificateId: string;
  readonly toCertificateId: string;
  /** The APIs whose policies (the API's own, or its operations') were switched. */
  readonly apiIds: readonly string[];
  /** The operations whose own policies were switched (absent in records written before operations existed). */
  readonly operations?: readonly RotationOperation[];
  /** True when the global policy ("All APIs") was switched. */
  readonly global?: boolean;
  readonly rotatedAt: string;
  readonly rolledBackAt: string | null;
}

/** The outcome of a rotation request: the preflight of each affected API, and what was switched. */
export interface RotationResult {
  readonly rotation: Rotation | null;
  readonly newCertificate: Certificate;
  readonly preflight: readonly { readonly apiId: string; readonly apiName: string; readonly ok: boolean; readonly diagnosis: Diagnosis }[];
  /** Nothing was switched when the preflight failed (unless the caller chose which APIs to switch). */
  readonly switched: readonly string[];
}

/** A certificate that expires soon (or has expired), with where it is used. */
export interface ExpiringCertificate {
  readonly certificateId: string;
  readonly subject: string;
  readonly thumbprint: string;
  /** The leaf, or a CA certificate of its chain that expires first. */
  readonly which: 'leaf' | 'chain';
  readonly expiringSubject: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  /** The smallest threshold crossed: 30, 7, 1 days, or 0 when expired. */
  readonly threshold: 30 | 7 | 1 | 0;
  readonly usedBy: readonly CertificateUsage[];
}

/** One file of an export. */
export interface ExportFile {
  readonly path: string;
  /** The content; null for files written with key material (never sent to a client). */
  readonly content: string | null;
  readonly containsPrivateKey: boolean;
}

/** An export to a production gateway's configuration. */
export interface ExportResult {
  readonly format: 'kong' | 'nginx' | 'apim';
  readonly outDir: string | null;
  readonly files: readonly ExportFile[];
  readonly warnings: readonly string[];
}
