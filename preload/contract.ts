/**
 * The one contract between CertGate's core and every client of it: the Electron renderer (through the
 * preload), the browser console and the admin REST API (over HTTP), and the CLI.
 *
 * Each operation has a name (`group.verb`), an input schema (zod, checked by main whatever the transport),
 * a result type and the error codes it may return. Expected failures are values (`Result`), never throws.
 * This file imports nothing but zod, so the renderer can use it too.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------- errors

/** Every stable error code CertGate returns. Messages are for people; codes are for programs. */
export const errorCodes = [
  // certificates (DESIGN.md "Certificates")
  'bad-password',
  'invalid-format',
  'no-private-key',
  'no-certificate',
  'key-mismatch',
  'too-large',
  'too-expensive',
  'unsupported-algorithm',
  'duplicate',
  'in-use',
  'not-found',
  'keychain-unavailable',
  'store-corrupt',
  'validation',
  // data folder ownership (one writer)
  'locked',
  // admin REST API
  'unauthorized',
  'forbidden',
  'precondition-failed',
  'unsupported-media-type',
  // gateway (answers to proxied calls and the console's test call)
  'no-route',
  'backend-certificate-required',
  'backend-certificate-rejected',
  'backend-untrusted',
  'backend-name-mismatch',
  'backend-unreachable',
  'backend-timeout',
  'backend-reset',
  'gateway-unavailable',
  // a bug: an exception caught at a boundary
  'internal',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof errorCodes)[number];

/** An expected failure: a stable code, a message that says what happened and what to do, and details. */
export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** The outcome of every operation. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

/** A success value. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failure value. */
export function fail<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

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
}

// ---------------------------------------------------------------------------------------------- data

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

/** The Security tab's model: how the gateway authenticates to the back end. */
export type Security =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly username: string }
  | { readonly type: 'certificate'; readonly certificateId: string };

/** An API's policy document. */
export interface Policy {
  readonly apiId: string;
  readonly xml: string;
}

/** Console settings. */
export interface Settings {
  readonly language: 'system' | 'en' | 'fr';
  readonly theme: 'system' | 'light' | 'dark';
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
  readonly kind: 'certificate' | 'ca-certificate' | 'api' | 'policy' | 'settings';
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

/** A certificate rotation: which APIs were switched from the old certificate to the new one. */
export interface Rotation {
  readonly id: string;
  readonly fromCertificateId: string;
  readonly toCertificateId: string;
  readonly apiIds: readonly string[];
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

// ---------------------------------------------------------------------------------------------- schemas

const ID_FORBIDDEN = /[*#&+:<>?/\\\u0000-\u001f\u007f]/;

/** Certificate and API ids: 1-80 characters, none of `*#&+:<>?/\` or control characters. */
export const idSchema = z
  .string()
  .min(1, 'An id needs at least one character.')
  .max(80, 'An id has at most 80 characters.')
  .refine((s) => !ID_FORBIDDEN.test(s), 'An id may not contain any of * # & + : < > ? / \\ or control characters.')
  .refine((s) => s.trim() === s, 'An id may not start or end with spaces.');

/** Base64 file content (standard or URL alphabet). */
const base64Schema = z
  .string()
  .min(1, 'The file is empty.')
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'The file content must be base64.');

const passwordSchema = z.string().max(1024, 'A password has at most 1,024 characters.');

const apiPathSchema = z
  .string()
  .max(400)
  .refine((s) => !s.startsWith('/') && !s.endsWith('/'), 'The URL suffix may not start or end with "/".')
  .refine((s) => /^[A-Za-z0-9._~!$'()*,;=:@%/-]*$/.test(s), 'The URL suffix may contain only URL path characters.')
  .refine((s) => !s.split('/').some((seg) => seg === '' || seg === '.' || seg === '..') || s === '', 'The URL suffix has an empty, "." or ".." segment.');

const serviceUrlSchema = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'The web service URL must be an absolute http:// or https:// URL without user name or password.');

const backendTlsSchema = z
  .object({
    validateCertificateChain: z.boolean(),
    validateCertificateName: z.boolean(),
    trustedCaCertificateIds: z.array(idSchema).max(50),
  })
  .strict();

const empty = z.object({}).strict();
const byId = z.object({ id: idSchema }).strict();
const byApi = z.object({ apiId: idSchema }).strict();

const securityInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z
    .object({
      type: z.literal('basic'),
      username: z.string().min(1, 'A user name is required.').max(256),
      /** Omit to keep the password already stored for this API. */
      password: passwordSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('certificate'), certificateId: idSchema }).strict(),
]);

/** The input of `security.set`'s `security` field. */
export type SecurityInput = z.infer<typeof securityInputSchema>;

// ---------------------------------------------------------------------------------------------- operations

interface OperationSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly errors: readonly ErrorCode[];
  /** Phantom: carries the result type; never read at run time. */
  readonly output?: O;
}

function op<I extends z.ZodType>(input: I, errors: readonly ErrorCode[]) {
  return { returns: <O>(): OperationSpec<I, O> => ({ input, errors }) };
}

const CERT_IMPORT_ERRORS = [
  'bad-password',
  'invalid-format',
  'no-private-key',
  'no-certificate',
  'key-mismatch',
  'too-large',
  'too-expensive',
  'unsupported-algorithm',
  'validation',
] as const satisfies readonly ErrorCode[];

const STORE_ERRORS = ['store-corrupt', 'keychain-unavailable', 'locked'] as const satisfies readonly ErrorCode[];

/** Every operation: name, input schema, result type, error codes. */
export const contract = {
  'certificates.list': op(empty, ['store-corrupt']).returns<readonly CertificateWithUsage[]>(),
  'certificates.get': op(byId, ['not-found', 'store-corrupt']).returns<CertificateWithUsage>(),
  /** Parse a file and report what is in it; stores nothing. */
  'certificates.inspect': op(
    z.object({ data: base64Schema, password: passwordSchema.optional(), fileName: z.string().max(260).optional() }).strict(),
    CERT_IMPORT_ERRORS,
  ).returns<CertificateInfo>(),
  /** Upload a PFX/P12 or PEM file; `replace` swaps an existing id's certificate, keeping every API reference. */
  'certificates.upload': op(
    z
      .object({
        id: idSchema.optional(),
        data: base64Schema,
        password: passwordSchema.optional(),
        fileName: z.string().max(260).optional(),
        replace: z.boolean().optional(),
        /** With replace: only if the stored certificate is still this version (its updatedAt), else precondition-failed. */
        expectedUpdatedAt: z.string().max(64).optional(),
      })
      .strict(),
    [...CERT_IMPORT_ERRORS, 'duplicate', 'precondition-failed', ...STORE_ERRORS],
  ).returns<{ readonly certificate: Certificate; readonly created: boolean }>(),
  'certificates.delete': op(byId, ['not-found', 'in-use', ...STORE_ERRORS]).returns<{ readonly id: string }>(),

  'certificates.expiring': op(z.object({ withinDays: z.number().int().min(0).max(3650) }).strict(), ['store-corrupt']).returns<
    readonly ExpiringCertificate[]
  >(),
  /** Upload a replacement and switch every API using `id` to it in one change, after a preflight diagnosis. */
  'certificates.rotate': op(
    z
      .object({
        id: idSchema,
        newId: idSchema.optional(),
        data: base64Schema,
        password: passwordSchema.optional(),
        fileName: z.string().max(260).optional(),
        /** Switch only these APIs (the operator's choice after a failed preflight); default: all, if all pass. */
        apiIds: z.array(idSchema).max(1000).optional(),
      })
      .strict(),
    [...CERT_IMPORT_ERRORS, 'not-found', 'duplicate', ...STORE_ERRORS],
  ).returns<RotationResult>(),
  /** Switch the APIs of a rotation back to the old certificate. */
  'certificates.rollback': op(z.object({ rotationId: z.string().min(1).max(80) }).strict(), [
    'not-found',
    'validation',
    ...STORE_ERRORS,
  ]).returns<Rotation>(),
  'certificates.rotations': op(empty, ['store-corrupt']).returns<readonly Rotation[]>(),

  /** Diagnose an API's back end: resolve, connect, handshake, one request. Changes nothing. */
  'apis.diagnose': op(
    z
      .object({ id: idSchema, certificateId: idSchema.optional(), timeoutMs: z.number().int().min(100).max(60_000).optional() })
      .strict(),
    ['not-found', 'validation', 'keychain-unavailable', 'store-corrupt'],
  ).returns<Diagnosis>(),

  /** The configuration for a production gateway, without private keys (for display or download). */
  'export.preview': op(z.object({ format: z.enum(['kong', 'nginx', 'apim']) }).strict(), ['store-corrupt']).returns<ExportResult>(),
  /** Write an export to a folder on this machine; with `withKeys`, key files are written 0600. */
  'export.write': op(
    z.object({ format: z.enum(['kong', 'nginx', 'apim']), outDir: z.string().min(1).max(4096), withKeys: z.boolean() }).strict(),
    ['validation', 'keychain-unavailable', 'store-corrupt'],
  ).returns<ExportResult>(),

  'caCertificates.list': op(empty, ['store-corrupt']).returns<readonly CaCertificate[]>(),
  'caCertificates.upload': op(
    z.object({ id: idSchema.optional(), pem: z.string().min(1).max(1_000_000) }).strict(),
    ['invalid-format', 'no-certificate', 'duplicate', 'validation', ...STORE_ERRORS],
  ).returns<CaCertificate>(),
  'caCertificates.delete': op(byId, ['not-found', 'in-use', ...STORE_ERRORS]).returns<{ readonly id: string }>(),

  'apis.list': op(empty, ['store-corrupt']).returns<readonly Api[]>(),
  'apis.get': op(byId, ['not-found', 'store-corrupt']).returns<Api>(),
  'apis.create': op(
    z
      .object({
        id: idSchema.optional(),
        displayName: z.string().trim().min(1, 'A display name is required.').max(300),
        path: apiPathSchema,
        serviceUrl: serviceUrlSchema,
        description: z.string().max(4000).optional(),
        backendTls: backendTlsSchema.partial().optional(),
      })
      .strict(),
    ['duplicate', 'validation', 'not-found', ...STORE_ERRORS],
  ).returns<Api>(),
  'apis.update': op(
    z
      .object({
        id: idSchema,
        displayName: z.string().trim().min(1).max(300).optional(),
        path: apiPathSchema.optional(),
        serviceUrl: serviceUrlSchema.optional(),
        description: z.string().max(4000).optional(),
        backendTls: backendTlsSchema.partial().optional(),
      })
      .strict(),
    ['not-found', 'duplicate', 'validation', ...STORE_ERRORS],
  ).returns<Api>(),
  'apis.delete': op(byId, ['not-found', ...STORE_ERRORS]).returns<{ readonly id: string }>(),

  'policies.get': op(byApi, ['not-found', 'store-corrupt']).returns<Policy>(),
  'policies.set': op(
    z.object({ apiId: idSchema, xml: z.string().max(256 * 1024, 'A policy has at most 256 KiB.') }).strict(),
    ['not-found', 'validation', ...STORE_ERRORS],
  ).returns<Policy>(),

  'security.get': op(byApi, ['not-found', 'store-corrupt']).returns<Security>(),
  'security.set': op(z.object({ apiId: idSchema, security: securityInputSchema }).strict(), [
    'not-found',
    'validation',
    ...STORE_ERRORS,
  ]).returns<Security>(),

  'gateway.status': op(empty, []).returns<GatewayStatus>(),
  'gateway.traffic': op(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), []).returns<
    readonly TrafficEntry[]
  >(),
  /** Send one request through the gateway (the API page's Test tab). */
  'gateway.testCall': op(
    z
      .object({
        apiId: idSchema,
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
        path: z.string().max(2000),
        headers: z.record(z.string().max(200), z.string().max(8000)).optional(),
        body: z.string().max(1024 * 1024).optional(),
      })
      .strict(),
    ['not-found', 'gateway-unavailable', 'validation'],
  ).returns<TestCallResult>(),

  'settings.get': op(empty, ['store-corrupt']).returns<Settings>(),
  'settings.set': op(
    z
      .object({ language: z.enum(['system', 'en', 'fr']).optional(), theme: z.enum(['system', 'light', 'dark']).optional() })
      .strict(),
    ['validation', ...STORE_ERRORS],
  ).returns<Settings>(),
} as const;

/** The name of an operation, e.g. `certificates.upload`. */
export type OperationName = keyof typeof contract;

/** What a caller sends to an operation (before parsing). */
export type OperationInput<N extends OperationName> = z.input<(typeof contract)[N]['input']>;

/** What an operation receives (after parsing). */
export type ParsedInput<N extends OperationName> = z.output<(typeof contract)[N]['input']>;

/** What an operation returns on success. */
export type OperationOutput<N extends OperationName> = NonNullable<(typeof contract)[N]['output']>;

/** The implementation of every operation (main). */
export type Operations = {
  readonly [N in OperationName]: (input: ParsedInput<N>) => Promise<Result<OperationOutput<N>>>;
};

/** The subscription channels a client can listen to. */
export interface Subscriptions {
  readonly changes: ChangeEvent;
  readonly traffic: TrafficEntry;
}

/** The list of every operation name, in contract order. */
export const operationNames = Object.keys(contract) as OperationName[];

/** Parse an untrusted payload for an operation: a `validation` failure names the first bad field. */
export function parseInput<N extends OperationName>(name: N, payload: unknown): Result<ParsedInput<N>> {
  const spec = contract[name] as OperationSpec<z.ZodType, unknown> | undefined;
  if (!spec) return fail('validation', `There is no operation named "${String(name)}".`);
  const parsed = spec.input.safeParse(payload ?? {});
  if (parsed.success) return ok(parsed.data as ParsedInput<N>);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return fail('validation', `${where}${issue?.message ?? 'The input is not valid.'}`, {
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/** Run an operation from an untrusted payload: parse, then call; a throw becomes `internal`. */
export async function dispatch<N extends OperationName>(
  operations: Operations,
  name: N,
  payload: unknown,
): Promise<Result<OperationOutput<N>>> {
  if (!Object.prototype.hasOwnProperty.call(contract, name)) {
    return fail('validation', `There is no operation named "${String(name)}".`);
  }
  const input = parseInput(name, payload);
  if (!input.ok) return input;
  try {
    const run = operations[name] as (i: ParsedInput<N>) => Promise<Result<OperationOutput<N>>>;
    return await run(input.value);
  } catch (err) {
    return fail('internal', `CertGate hit an unexpected problem running ${name}. Please report it.`, {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}

/** The client every UI talks through: IPC in Electron, HTTP in a browser. */
export interface CertGateClient {
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void;
}
