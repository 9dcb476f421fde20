/**
 * The operations of the one contract between CertGate's core and every client of it: the Electron renderer
 * (through the preload), the browser console and the admin REST API (over HTTP), and the CLI.
 *
 * Each operation has a name (`group.verb`), an input schema (in `schemas.ts`: zod, so that only main loads it),
 * a result type, the error codes it may return, and whether it writes (changes stored data: the caller's answer
 * waits for the gateway to run on the change, and the CLI sends it to the running instance).
 */
import type { z } from 'zod';
import type { ErrorCode, Result } from './result';
import type {
  CertificateInfo,
  Certificate,
  CertificateWithUsage,
  CaCertificate,
  Api,
  Security,
  ApiSecurity,
  Policy,
  Settings,
  GatewayStatus,
  TrafficEntry,
  TestCallResult,
  Diagnosis,
  Rotation,
  RotationResult,
  ExpiringCertificate,
  ExportResult,
  ChangeEvent,
  ExportedCertificateFile,
  ParseEstimate,
  ApiOperation,
  EffectivePolicy,
  OpenApiImportResult,
  OperationPolicySummary,
  AppInfo,
} from './model';
import type { inputSchemas } from './schemas';

/** What the contract says of one operation; the result type rides along as a phantom. */
interface OperationSpec<O> {
  readonly errors: readonly ErrorCode[];
  readonly writes: boolean;
  /** Phantom: carries the result type; never read at run time. */
  readonly output?: O;
}

function read(errors: readonly ErrorCode[]) {
  return { returns: <O>(): OperationSpec<O> => ({ errors, writes: false }) };
}

function write(errors: readonly ErrorCode[]) {
  return { returns: <O>(): OperationSpec<O> => ({ errors, writes: true }) };
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
  'cancelled',
] as const satisfies readonly ErrorCode[];

const STORE_ERRORS = ['store-corrupt', 'io-error', 'keychain-unavailable', 'passphrase-required', 'bad-passphrase', 'locked'] as const satisfies readonly ErrorCode[];

/** Every operation: name, error codes, whether it writes, result type. */
export const operations = {
  'certificates.list': read(['store-corrupt']).returns<readonly CertificateWithUsage[]>(),
  'certificates.get': read(['not-found', 'store-corrupt']).returns<CertificateWithUsage>(),
  /** Parse a file and report what is in it; stores nothing. */
  'certificates.inspect': read(CERT_IMPORT_ERRORS).returns<CertificateInfo>(),
  /** Upload a PFX/P12 or PEM file; `replace` swaps an existing id's certificate, keeping every API reference. */
  'certificates.upload': write([...CERT_IMPORT_ERRORS, 'duplicate', 'precondition-failed', ...STORE_ERRORS]).returns<{ readonly certificate: Certificate; readonly created: boolean }>(),
  'certificates.delete': write(['not-found', 'in-use', ...STORE_ERRORS]).returns<{ readonly id: string }>(),
  'certificates.expiring': read(['store-corrupt']).returns<readonly ExpiringCertificate[]>(),
  /** Upload a replacement and switch every API using `id` to it in one change, after a preflight diagnosis. */
  'certificates.rotate': write([...CERT_IMPORT_ERRORS, 'not-found', 'duplicate', ...STORE_ERRORS]).returns<RotationResult>(),
  /** Switch the APIs of a rotation back to the old certificate. */
  'certificates.rollback': write([
      'not-found',
      'validation',
      ...STORE_ERRORS,
    ]).returns<Rotation>(),
  'certificates.rotations': read(['store-corrupt']).returns<readonly Rotation[]>(),
  /** What parsing a file will cost (key derivations and rounds), read without deriving anything: for progress. */
  'certificates.estimate': read(['invalid-format', 'too-large', 'too-expensive', 'unsupported-algorithm', 'validation']).returns<ParseEstimate>(),
  /** Follow a PFX/PEM file on this machine: imported now, then re-imported (preflight, switch, rotation record) on change. */
  'certificates.link': write([...CERT_IMPORT_ERRORS, 'duplicate', 'not-found', ...STORE_ERRORS]).returns<{
    readonly certificate: Certificate;
    readonly created: boolean;
  }>(),
  /** Stop following the file; the current version stays as an ordinary certificate. */
  'certificates.unlink': write(['not-found', 'validation', ...STORE_ERRORS]).returns<Certificate>(),
  /** Read a linked file now instead of waiting for the watcher. */
  'certificates.sync': write(['not-found', 'validation', ...STORE_ERRORS]).returns<Certificate>(),
  /** A modern PFX (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC), PEM (chain + PKCS #8 key) or public .cer. */
  'certificates.export': read(['not-found', 'validation', 'keychain-unavailable', 'passphrase-required', 'store-corrupt']).returns<ExportedCertificateFile>(),
  /** A native file dialog (desktop app only; elsewhere a `validation` failure says to type the path). */
  'files.pick': read(['validation']).returns<{ readonly path: string | null }>(),
  /** Diagnose an API's back end: resolve, connect, handshake, one request. Changes nothing. */
  'apis.diagnose': read(['not-found', 'validation', 'policy-invalid', 'keychain-unavailable', 'passphrase-required', 'store-corrupt']).returns<Diagnosis>(),
  /** The configuration for a production gateway, without private keys (for display or download). */
  'export.preview': read(['store-corrupt']).returns<ExportResult>(),
  /** Write an export to a folder on this machine; with `withKeys`, key files are written 0600. */
  'export.write': read(['validation', 'keychain-unavailable', 'passphrase-required', 'store-corrupt']).returns<ExportResult>(),
  'caCertificates.list': read(['store-corrupt']).returns<readonly CaCertificate[]>(),
  'caCertificates.upload': write(['invalid-format', 'no-certificate', 'duplicate', 'validation', ...STORE_ERRORS]).returns<CaCertificate>(),
  'caCertificates.delete': write(['not-found', 'in-use', ...STORE_ERRORS]).returns<{ readonly id: string }>(),
  'apis.list': read(['store-corrupt']).returns<readonly Api[]>(),
  'apis.get': read(['not-found', 'store-corrupt']).returns<Api>(),
  'apis.create': write(['duplicate', 'validation', 'not-found', ...STORE_ERRORS]).returns<Api>(),
  'apis.update': write(['not-found', 'duplicate', 'validation', ...STORE_ERRORS]).returns<Api>(),
  'apis.delete': write(['not-found', ...STORE_ERRORS]).returns<{ readonly id: string }>(),
  /** An API's policy, or with `operationId` that operation's. */
  'policies.get': read(['not-found', 'store-corrupt']).returns<Policy>(),
  'policies.set': write(['not-found', 'validation', ...STORE_ERRORS]).returns<Policy>(),
  'security.get': read(['not-found', 'store-corrupt']).returns<Security>(),
  /** Every API's credential in one read (the APIs list's Credentials column). */
  'security.list': read(['store-corrupt']).returns<readonly ApiSecurity[]>(),
  'security.set': write([
      'not-found',
      'validation',
      ...STORE_ERRORS,
    ]).returns<Security>(),
  /** An API's operations (method + URL template), in the order they were created. */
  'operations.list': read(['not-found', 'store-corrupt']).returns<readonly ApiOperation[]>(),
  'operations.get': read(['not-found', 'store-corrupt']).returns<ApiOperation>(),
  'operations.create': write(['not-found', 'duplicate', 'validation', ...STORE_ERRORS]).returns<ApiOperation>(),
  'operations.update': write(['not-found', 'duplicate', 'validation', ...STORE_ERRORS]).returns<ApiOperation>(),
  /** Deleting an operation drops its policy; calls to its template then get `no-operation` (or another operation). */
  'operations.delete': write(['not-found', ...STORE_ERRORS]).returns<{ readonly apiId: string; readonly id: string }>(),
  /** What each operation's own policy does (the Operations tab's column), in one read for all of an API's operations. */
  'operations.policies': read(['not-found', 'store-corrupt']).returns<readonly OperationPolicySummary[]>(),
  /** The global policy ("All APIs"), composed into every API's through `<base />`. */
  'globalPolicy.get': read(['store-corrupt']).returns<Policy>(),
  'globalPolicy.set': write(['validation', ...STORE_ERRORS]).returns<Policy>(),
  /** The composed policy (global, API, operation): read-only XML. */
  'policies.effective': read(['not-found', 'policy-invalid', 'store-corrupt']).returns<EffectivePolicy>(),
  /** Create or update an API and its operations from an OpenAPI 3.0/3.1 document; `confirm: false` only previews. */
  'apis.import': write(['validation', 'too-large', 'duplicate', 'not-found', ...STORE_ERRORS]).returns<OpenApiImportResult>(),
  'gateway.status': read([]).returns<GatewayStatus>(),
  'gateway.traffic': read([]).returns<readonly TrafficEntry[]>(),
  /** Send one request through the gateway (the API page's Test tab). */
  'gateway.testCall': read(['not-found', 'gateway-unavailable', 'validation']).returns<TestCallResult>(),
  /** The data folder and how its vault is protected (and whether a passphrase vault is still locked). */
  'app.info': read([]).returns<AppInfo>(),
  /** Give a passphrase vault its passphrase; the gateway then presents its certificates. */
  'vault.unlock': write(['bad-passphrase', 'passphrase-not-used', 'validation', 'store-corrupt']).returns<AppInfo>(),
  'settings.get': read(['store-corrupt']).returns<Settings>(),
  'settings.set': write(['validation', ...STORE_ERRORS]).returns<Settings>(),
} as const;

/** The name of an operation, e.g. `certificates.upload`. */
export type OperationName = keyof typeof operations;

/** What a caller sends to an operation (before parsing). */
export type OperationInput<N extends OperationName> = z.input<(typeof inputSchemas)[N]>;

/** What an operation receives (after parsing). */
export type ParsedInput<N extends OperationName> = z.output<(typeof inputSchemas)[N]>;

/** What an operation returns on success. */
export type OperationOutput<N extends OperationName> = NonNullable<(typeof operations)[N]['output']>;

/** The implementation of every operation (main); `options.signal` aborts when the caller went away. */
export type Operations = {
  readonly [N in OperationName]: (input: ParsedInput<N>, options?: CallOptions) => Promise<Result<OperationOutput<N>>>;
};

/** The list of every operation name, in contract order. */
export const operationNames = Object.keys(operations) as OperationName[];

/** True when an operation changes stored data. */
export function writes(name: OperationName): boolean {
  return operations[name].writes;
}

/** The subscription channels a client can listen to. */
export interface Subscriptions {
  readonly changes: ChangeEvent;
  readonly traffic: TrafficEntry;
}

/** Every subscription channel, for transports that must list them. */
export const subscriptionChannels = ['changes', 'traffic'] as const satisfies readonly (keyof Subscriptions)[];

/** The prefix of every IPC channel: `certgate:<operation>` and `certgate:event:<channel>`. */
export const CHANNEL_PREFIX = 'certgate:';

/** The IPC channel of an operation. */
export function operationChannel(name: OperationName): string {
  return `${CHANNEL_PREFIX}${name}`;
}

/** The IPC channel a window cancels one of its calls on (by the call id it sent with the call). */
export const CANCEL_CHANNEL = `${CHANNEL_PREFIX}cancel`;

/** The IPC channel main sends a subscription's events on. */
export function eventChannel(channel: keyof Subscriptions): string {
  return `${CHANNEL_PREFIX}event:${channel}`;
}

/** Per-call options of a client. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** The client every UI talks through: IPC in Electron, HTTP in a browser. */
export interface CertGateClient {
  /** `signal`: aborting it cancels the call (an upload's parse stops in main; the answer is a failure). */
  call<N extends OperationName>(name: N, input: OperationInput<N>, options?: CallOptions): Promise<Result<OperationOutput<N>>>;
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void;
}
