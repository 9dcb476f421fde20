/**
 * An in-memory CertGate for component tests: implements every contract operation with the same rules the
 * core follows (wrong password refused, certificates in use not deleted, security written into the policy,
 * unknown policy elements refused with line and column, change events after every write; rotation with a
 * preflight diagnosis of each API, rollback, expiry of chains, export previews without keys).
 *
 * "Certificate files" are fake: `fakeCertificateFile()` makes a base64 JSON document the fake can read.
 */
import type {
  Api,
  AppError,
  AppInfo,
  CaCertificate,
  Certificate,
  CertificateUsage,
  CertificateWithUsage,
  CallOptions,
  CertGateClient,
  ChangeEvent,
  ErrorCode,
  GatewayStatus,
  OperationInput,
  OperationName,
  OperationOutput,
  Result,
  Rotation,
  Security,
  Settings,
  Subscriptions,
  TrafficEntry,
} from '../../preload/contract';
import { createHash } from 'node:crypto';
import { fakeDiagnosis, fakeExpiring, fakeExport, type FakeBackend } from './fake-features';
import { FakeLinks, linkHandlers } from './fake-links';
import { FakeOperations, withOperations } from './fake-operations';
import { DEFAULT_POLICY_XML, setCredential, type Credential } from '../../main/core/policy';

export type { FakeBackend } from './fake-features';

const DAY = 86_400_000;

function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

function fail<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** What a fake certificate file holds. */
export interface FakeFile {
  readonly subject: string;
  readonly password?: string;
  readonly thumbprint?: string;
  /** Days from now until expiry (negative: expired). */
  readonly expiresInDays?: number;
  readonly weak?: boolean;
  readonly noKey?: boolean;
  /** Key-derivation rounds of each of its two derivations (what `certificates.estimate` adds up; default 2,048). */
  readonly iterations?: number;
}

/** The fake file in base64 `data`, or undefined when it is not one. */
function readFakeFile(data: string): FakeFile | undefined {
  try {
    return (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { fakeCertificate?: FakeFile }).fakeCertificate;
  } catch {
    return undefined;
  }
}

/** Base64 of a fake certificate file, for `certificates.upload`. */
export function fakeCertificateFile(file: FakeFile): string {
  return Buffer.from(JSON.stringify({ fakeCertificate: file })).toString('base64');
}

/** A `File` holding a fake certificate file, for the upload dialog. */
export function fakeCertificateBlob(file: FakeFile, name = 'client.pfx'): File {
  return new File([JSON.stringify({ fakeCertificate: file })], name, { type: 'application/x-pkcs12' });
}

let thumbCounter = 0;

/** A thumbprint: 40 upper-case hex characters, ending with `last4` when given. */
export function makeThumbprint(last4?: string): string {
  thumbCounter++;
  const head = (thumbCounter.toString(16).toUpperCase() + 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678').slice(0, 36);
  return head + (last4 ?? thumbCounter.toString(16).toUpperCase().padStart(4, '0').slice(-4));
}

function commonNameOf(subject: string): string {
  const match = /(?:^|,)\s*CN=([^,]*)/.exec(subject);
  return match?.[1] ?? '';
}

function idFrom(subject: string): string {
  return (commonNameOf(subject) || subject).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'certificate';
}

/** A certificate record as the core would store it. */
export function makeCertificate(options: {
  id: string;
  subject: string;
  thumbprint?: string;
  expiresInDays?: number;
  /** Days until its CA certificate expires (default: with the leaf). */
  caExpiresInDays?: number;
  weak?: boolean;
}): Certificate {
  const now = Date.now();
  const thumbprint = options.thumbprint ?? makeThumbprint();
  const days = options.expiresInDays ?? 365;
  // An hour past the whole days, so "in N days" / "N days ago" are exact whatever the test's timing.
  const notAfter = new Date(now + days * DAY + (days < 0 ? -1 : 1) * 3_600_000).toISOString();
  const notBefore = new Date(now - 30 * DAY).toISOString();
  const caNotAfter =
    options.caExpiresInDays === undefined ? notAfter : new Date(now + options.caExpiresInDays * DAY + (options.caExpiresInDays < 0 ? -1 : 1) * 3_600_000).toISOString();
  return {
    id: options.id,
    subject: options.subject,
    commonName: commonNameOf(options.subject),
    issuer: 'CN=Test CA,O=Contoso',
    serialNumber: '01AB',
    thumbprint,
    sha256Fingerprint: 'AB'.repeat(32),
    notBefore,
    notAfter,
    keyType: 'RSA',
    keySize: 2048,
    curve: null,
    subjectAltNames: ['DNS:client.example'],
    selfSigned: false,
    friendlyName: null,
    chain: [
      { subject: options.subject, issuer: 'CN=Test CA,O=Contoso', thumbprint, notBefore, notAfter },
      { subject: 'CN=Test CA,O=Contoso', issuer: 'CN=Test CA,O=Contoso', thumbprint: 'C'.repeat(40), notBefore, notAfter: caNotAfter },
    ],
    protection: {
      format: 'pkcs12',
      keyEncryption: options.weak ? 'pbeWithSHAAnd40BitRC2-CBC' : 'PBES2/PBKDF2-SHA256/AES-256-CBC',
      certificateEncryption: options.weak ? 'pbeWithSHAAnd40BitRC2-CBC' : 'PBES2/PBKDF2-SHA256/AES-256-CBC',
      mac: options.weak ? 'HMAC-SHA1' : 'HMAC-SHA256',
      iterations: options.weak ? 2048 : 600000,
      macIterations: options.weak ? 2048 : 600000,
      weak: options.weak ?? false,
      weakReasons: options.weak ? ['RC2-40 key encryption', 'SHA-1 MAC'] : [],
    },
    uploadedAt: new Date(now - DAY).toISOString(),
    updatedAt: new Date(now - DAY).toISOString(),
  };
}

/** The default policy of a new API: the core's own. */
export const DEFAULT_POLICY = DEFAULT_POLICY_XML;

const KNOWN_ELEMENTS = new Set([
  'policies',
  'inbound',
  'backend',
  'outbound',
  'on-error',
  'base',
  'authentication-certificate',
  'authentication-basic',
  'set-header',
  'value',
  'forward-request',
]);

/** The first unknown element of a policy, with its 1-based line and column. */
function policyProblem(xml: string): { message: string; line: number; column: number; element: string } | null {
  const lines = xml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const re = /<([A-Za-z][\w-]*)/g;
    let match: RegExpExecArray | null;
    while ((match = re.exec(lines[i] ?? '')) !== null) {
      const element = match[1] ?? '';
      if (!KNOWN_ELEMENTS.has(element)) {
        return { message: `The element <${element}> is not a known policy element.`, line: i + 1, column: match.index + 1, element };
      }
    }
  }
  return null;
}

function securityOf(xml: string): Security {
  const cert = /<authentication-certificate\s+certificate-id="([^"]*)"/.exec(xml);
  if (cert) return { type: 'certificate', certificateId: cert[1] ?? '' };
  const basic = /<authentication-basic\s+username="([^"]*)"/.exec(xml);
  if (basic) return { type: 'basic', username: basic[1] ?? '' };
  return { type: 'none' };
}

function withSecurity(xml: string, security: OperationInput<'security.set'>['security']): string {
  // The core's own editor of the credential element, so the fake's policies look exactly like real ones.
  const credential: Credential =
    security.type === 'certificate'
      ? { type: 'certificate', by: 'certificate-id', value: security.certificateId }
      : security.type === 'basic'
        ? { type: 'basic', username: security.username, passwordNamedValue: 'secret' }
        : { type: 'none' };
  const edited = setCredential(xml, credential);
  return edited.ok ? edited.value : xml;
}

/** Every operation of the fake. */
export type Handlers = { [N in OperationName]: (input: OperationInput<N>) => Result<OperationOutput<N>> };

/** One recorded call. */
export interface RecordedCall {
  readonly name: OperationName;
  readonly input: unknown;
  /** The call's `CallOptions.signal`, to see that a cancel aborted it. */
  readonly signal?: AbortSignal;
}

/** The fake client, with knobs for tests. */
export class FakeClient implements CertGateClient {
  readonly certificates = new Map<string, Certificate>();
  readonly caCertificates = new Map<string, Omit<CaCertificate, 'usedBy'>>();
  readonly apis = new Map<string, Api>();
  readonly policies = new Map<string, string>();
  readonly passwords = new Map<string, string>();
  /** Operations, their policies, the global policy and OpenAPI imports (fake-operations.ts). */
  readonly operationStore = new FakeOperations();
  /** Linked files on the "serving machine" and the desktop file dialog's answer (fake-links.ts). */
  readonly links = new FakeLinks();
  settings: Settings = { language: 'en', theme: 'light' };
  /** The vault as `app.info` reports it; a locked passphrase vault opens with `vaultPassphrase`. */
  vault: { protection: AppInfo['vault']['protection']; locked: boolean } = { protection: 'keychain', locked: false };
  vaultPassphrase = 'correct horse battery';
  status: GatewayStatus = {
    state: 'running',
    url: 'http://127.0.0.1:8787',
    message: null,
    startedAt: new Date().toISOString(),
    counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 },
    routes: [],
  };
  traffic: TrafficEntry[] = [];
  readonly rotations: Rotation[] = [];
  /** How each API's back end behaves in diagnoses, by API id (default: accepts any certificate). */
  readonly backends = new Map<string, FakeBackend>();
  readonly calls: RecordedCall[] = [];
  private readonly listeners = { changes: new Set<(e: ChangeEvent) => void>(), traffic: new Set<(e: TrafficEntry) => void>() };
  private readonly failures = new Map<OperationName, AppError[]>();
  private gate: Promise<void> | null = null;
  private gateOnly: OperationName | null = null;
  private releaseGate: (() => void) | null = null;

  /** Make the next call (or `times` calls) of an operation fail with this error. */
  failNext(name: OperationName, code: ErrorCode, options: { message?: string; details?: unknown; times?: number } = {}): void {
    const queue = this.failures.get(name) ?? [];
    const message = options.message ?? 'Failed.';
    const error: AppError = options.details === undefined ? { code, message } : { code, message, details: options.details };
    for (let i = 0; i < (options.times ?? 1); i++) queue.push(error);
    this.failures.set(name, queue);
  }

  /** Hold every answer (or only `only`'s) until the returned function is called (to see loading states). */
  hold(only?: OperationName): () => void {
    this.gateOnly = only ?? null;
    this.gate = new Promise((resolve) => {
      this.releaseGate = resolve;
    });
    return () => {
      this.releaseGate?.();
      this.gate = null;
      this.gateOnly = null;
    };
  }

  /** Add a certificate directly (as if uploaded earlier). */
  addCertificate(options: {
    id: string;
    subject: string;
    thumbprint?: string;
    expiresInDays?: number;
    caExpiresInDays?: number;
    weak?: boolean;
  }): Certificate {
    const certificate = makeCertificate(options);
    this.certificates.set(certificate.id, certificate);
    return certificate;
  }

  /** Add an API directly, optionally secured with a certificate. */
  addApi(options: { id: string; displayName: string; path?: string; serviceUrl?: string; certificateId?: string }): Api {
    const now = new Date().toISOString();
    const api: Api = {
      id: options.id,
      displayName: options.displayName,
      path: options.path ?? options.id,
      serviceUrl: options.serviceUrl ?? 'https://localhost:9443',
      description: '',
      backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] },
      createdAt: now,
      updatedAt: now,
    };
    this.apis.set(api.id, api);
    this.policies.set(
      api.id,
      options.certificateId ? withSecurity(DEFAULT_POLICY, { type: 'certificate', certificateId: options.certificateId }) : DEFAULT_POLICY,
    );
    return api;
  }

  /** Emit a traffic entry, as the gateway does after each call. */
  emitTraffic(entry: Partial<TrafficEntry> & { requestId: string }): TrafficEntry {
    const full: TrafficEntry = {
      time: new Date().toISOString(),
      method: 'GET',
      path: '/echo',
      apiId: null,
      status: 200,
      durationMs: 12,
      certificateId: null,
      thumbprint: null,
      handshake: null,
      errorCode: null,
      ...entry,
    };
    this.traffic.push(full);
    for (const l of this.listeners.traffic) l(full);
    return full;
  }

  /** Emit a change event, as the core does after each write. */
  emitChange(event: ChangeEvent): void {
    for (const l of [...this.listeners.changes]) l(event);
  }

  /** How many listeners a channel has (to check unsubscription). */
  listenerCount(channel: keyof Subscriptions): number {
    return this.listeners[channel].size;
  }

  /** The calls made to one operation. */
  callsTo(name: OperationName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  async call<N extends OperationName>(name: N, input: OperationInput<N>, options: CallOptions = {}): Promise<Result<OperationOutput<N>>> {
    this.calls.push({ name, input, signal: options.signal });
    await Promise.resolve();
    if (this.gate && (this.gateOnly === null || this.gateOnly === name)) {
      // A held call that its caller cancels ends at once, as the core's parse stops at its next slice.
      const aborted = new Promise<'aborted'>((resolve) => options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true }));
      if ((await Promise.race([this.gate, aborted])) === 'aborted') return fail('cancelled', 'The call was cancelled.');
    }
    const queued = this.failures.get(name)?.shift();
    if (queued) return { ok: false, error: queued };
    const handler = this.handlers[name] as (i: OperationInput<N>) => Result<OperationOutput<N>>;
    return handler(input);
  }

  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
    const set = this.listeners[channel] as Set<(e: Subscriptions[C]) => void>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  private usages(test: (api: Api, security: Security) => CertificateUsage['reference'] | null): CertificateUsage[] {
    const result: CertificateUsage[] = [];
    for (const api of this.apis.values()) {
      const reference = test(api, securityOf(this.policies.get(api.id) ?? ''));
      if (reference) result.push({ apiId: api.id, apiName: api.displayName, reference });
    }
    return result;
  }

  /** A certificate with the APIs whose policies use it. */
  withUsage(certificate: Certificate): CertificateWithUsage {
    return {
      ...certificate,
      usedBy: this.usedBy(certificate.id),
    };
  }

  private caWithUsage(ca: Omit<CaCertificate, 'usedBy'>): CaCertificate {
    return { ...ca, usedBy: this.usages((api) => (api.backendTls.trustedCaCertificateIds.includes(ca.id) ? 'trusted-ca' : null)) };
  }

  private usedBy(certificateId: string): CertificateUsage[] {
    return this.usages((_, s) => (s.type === 'certificate' && s.certificateId === certificateId ? 'certificate-id' : null));
  }

  /** Point those of `apiIds` that present `from` at `to`; the ids switched. */
  private switchApis(apiIds: readonly string[], from: string, to: string): string[] {
    const switched: string[] = [];
    for (const apiId of apiIds) {
      const xml = this.policies.get(apiId);
      const security = securityOf(xml ?? '');
      if (xml === undefined || security.type !== 'certificate' || security.certificateId !== from) continue;
      this.policies.set(apiId, withSecurity(xml, { type: 'certificate', certificateId: to }));
      switched.push(apiId);
    }
    for (const apiId of switched) this.emitChange({ kind: 'policy', action: 'updated', id: apiId });
    return switched;
  }

  /** The replacement's default id, as the core makes it: "client1" → "client1-2". */
  private nextId(oldId: string): string {
    const numbered = /^(.+)-(\d{1,3})$/.exec(oldId);
    const base = numbered?.[1] ?? oldId;
    for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n++) if (!this.certificates.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  private exportApis() {
    return [...this.apis.values()].map((api) => {
      const policy = this.policies.get(api.id) ?? DEFAULT_POLICY;
      return { api, policy, security: securityOf(policy) };
    });
  }

  private readonly handlers: Handlers = withOperations(this, {
    'certificates.list': () => ok([...this.certificates.values()].map((c) => this.withUsage(c))),
    'certificates.get': ({ id }) => {
      const c = this.certificates.get(id);
      return c ? ok(this.withUsage(c)) : fail('not-found', `There is no certificate "${id}".`);
    },
    'certificates.inspect': (input) => {
      const parsed = this.parseFile(input.data, input.password);
      return parsed.ok ? ok(parsed.value) : parsed;
    },
    'certificates.upload': (input) => {
      const parsed = this.parseFile(input.data, input.password);
      if (!parsed.ok) return parsed;
      // As the core decides: the same thumbprint stored under another id, or the id taken without replace, is a duplicate naming the stored one.
      const same = [...this.certificates.values()].find((c) => c.thumbprint === parsed.value.thumbprint);
      const id = input.id ?? (input.replace && same ? same.id : idFrom(parsed.value.subject));
      const existing = this.certificates.get(id);
      const clash = same && same.id !== id ? same : existing && !input.replace ? existing : undefined;
      if (clash) {
        return fail('duplicate', `This certificate is already uploaded as "${clash.id}".`, {
          existingId: clash.id,
          subject: clash.subject,
          thumbprint: clash.thumbprint,
        });
      }
      const certificate: Certificate = { ...parsed.value, id, uploadedAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      this.certificates.set(id, certificate);
      this.emitChange({ kind: 'certificate', action: existing ? 'updated' : 'created', id });
      return ok({ certificate, created: !existing });
    },
    'certificates.delete': ({ id }) => {
      const c = this.certificates.get(id);
      if (!c) return fail('not-found', `There is no certificate "${id}".`);
      const usedBy = this.withUsage(c).usedBy;
      if (usedBy.length > 0) return fail('in-use', `The certificate "${id}" is used by ${usedBy.length} API(s).`, { usedBy });
      this.certificates.delete(id);
      this.emitChange({ kind: 'certificate', action: 'deleted', id });
      return ok({ id });
    },

    'certificates.expiring': ({ withinDays }) =>
      ok(fakeExpiring([...this.certificates.values()], (id) => this.usedBy(id), withinDays)),
    'certificates.rotate': (input) => {
      const old = this.certificates.get(input.id);
      if (!old) return fail('not-found', `There is no client certificate with id "${input.id}".`);
      if (input.newId === input.id) return fail('validation', `The new id must differ from "${input.id}".`, { field: 'newId' });
      const users = this.usedBy(input.id);
      const strangers = (input.apiIds ?? []).filter((apiId) => !users.some((u) => u.apiId === apiId));
      if (strangers.length > 0) return fail('validation', `${strangers.join(', ')} do not use "${input.id}".`, { field: 'apiIds' });
      const parsed = this.parseFile(input.data, input.password);
      if (!parsed.ok) return parsed;
      // As the core: a file already uploaded (same thumbprint) is reused, which is how a failed preflight is retried.
      const known = [...this.certificates.values()].find((c) => c.thumbprint === parsed.value.thumbprint);
      let newCertificate: Certificate;
      if (known) {
        if (known.id === input.id) return fail('duplicate', `This file holds the certificate "${input.id}" itself.`, { existingId: input.id });
        if (input.newId !== undefined && known.id !== input.newId) return fail('duplicate', `This certificate is already uploaded as "${known.id}".`, { existingId: known.id });
        newCertificate = known;
      } else {
        const newId = input.newId ?? this.nextId(input.id);
        if (this.certificates.has(newId)) return fail('duplicate', `A certificate with id "${newId}" already exists.`, { existingId: newId });
        const now = new Date().toISOString();
        newCertificate = { ...parsed.value, id: newId, uploadedAt: now, updatedAt: now };
        this.certificates.set(newId, newCertificate);
        this.emitChange({ kind: 'certificate', action: 'created', id: newId });
      }
      const preflight = users.map((u) => {
        const diagnosis = fakeDiagnosis(this.apis.get(u.apiId)!, newCertificate, this.backends.get(u.apiId));
        return { apiId: u.apiId, apiName: u.apiName, ok: diagnosis.ok, diagnosis };
      });
      const chosen = input.apiIds ?? (preflight.every((p) => p.ok) ? users.map((u) => u.apiId) : []);
      const switched = this.switchApis(chosen, input.id, newCertificate.id);
      if (switched.length === 0) return ok({ rotation: null, newCertificate, preflight, switched });
      const rotation: Rotation = {
        id: `rot-${this.rotations.length + 1}`,
        fromCertificateId: input.id,
        toCertificateId: newCertificate.id,
        apiIds: switched,
        rotatedAt: new Date().toISOString(),
        rolledBackAt: null,
      };
      this.rotations.push(rotation);
      return ok({ rotation, newCertificate, preflight, switched });
    },
    'certificates.rollback': ({ rotationId }) => {
      const index = this.rotations.findIndex((r) => r.id === rotationId);
      const rotation = this.rotations[index];
      if (!rotation) return fail('not-found', `There is no rotation with id "${rotationId}".`);
      if (rotation.rolledBackAt) return fail('validation', `The rotation "${rotationId}" was already rolled back.`);
      if (!this.certificates.has(rotation.fromCertificateId)) {
        return fail('not-found', `The certificate "${rotation.fromCertificateId}" has been deleted, so there is nothing to switch back to.`);
      }
      const switched = this.switchApis(rotation.apiIds, rotation.toCertificateId, rotation.fromCertificateId);
      if (switched.length === 0 && rotation.apiIds.length > 0) {
        return fail('validation', `None of the APIs of rotation "${rotationId}" still use "${rotation.toCertificateId}".`);
      }
      const rolledBack: Rotation = { ...rotation, rolledBackAt: new Date().toISOString() };
      this.rotations[index] = rolledBack;
      return ok(rolledBack);
    },
    'certificates.rotations': () => ok([...this.rotations]),
    // Issue 14 and 13 operations: each feature's engineer replaces these with a working fake.
    'certificates.estimate': ({ data }) => {
      const file = readFakeFile(data);
      if (!file) return fail('invalid-format', 'The file is not a PKCS#12 or PEM file.');
      const iterations = file.iterations ?? 2048;
      return ok({ format: 'pkcs12' as const, derivations: 2, iterations: 2 * iterations });
    },
    ...linkHandlers(this),

    'apis.diagnose': ({ id, certificateId }) => {
      const api = this.apis.get(id);
      if (!api) return fail('not-found', `There is no API with id "${id}".`);
      const security = securityOf(this.policies.get(id) ?? '');
      const presentedId = certificateId ?? (security.type === 'certificate' ? security.certificateId : undefined);
      const presented = presentedId ? this.certificates.get(presentedId) : undefined;
      if (presentedId && !presented) return fail('not-found', `The certificate "${presentedId}" is not uploaded.`);
      return ok(fakeDiagnosis(api, presented, this.backends.get(id)));
    },

    'export.preview': ({ format }) => ok(fakeExport(format, this.exportApis(), null)),
    // Key files never travel back to a client, with keys or not: the result is the same as a preview's.
    'export.write': ({ format, outDir }) => ok(fakeExport(format, this.exportApis(), outDir)),

    'caCertificates.list': () => ok([...this.caCertificates.values()].map((c) => this.caWithUsage(c))),
    'caCertificates.upload': ({ id, pem }) => {
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) return fail('invalid-format', 'This is not a PEM certificate.');
      const caId = id ?? `ca-${this.caCertificates.size + 1}`;
      if (this.caCertificates.has(caId)) return fail('duplicate', `A CA certificate "${caId}" exists already.`);
      const c = makeCertificate({ id: caId, subject: `CN=Echo CA ${this.caCertificates.size + 1}` });
      const ca = { id: caId, subject: c.subject, commonName: c.commonName, issuer: c.subject, thumbprint: c.thumbprint, notBefore: c.notBefore, notAfter: c.notAfter, pem, uploadedAt: c.uploadedAt };
      this.caCertificates.set(caId, ca);
      this.emitChange({ kind: 'ca-certificate', action: 'created', id: caId });
      return ok(this.caWithUsage(ca));
    },
    'caCertificates.delete': ({ id }) => {
      const ca = this.caCertificates.get(id);
      if (!ca) return fail('not-found', `There is no CA certificate "${id}".`);
      const usedBy = this.caWithUsage(ca).usedBy;
      if (usedBy.length > 0) return fail('in-use', 'In use.', { usedBy });
      this.caCertificates.delete(id);
      this.emitChange({ kind: 'ca-certificate', action: 'deleted', id });
      return ok({ id });
    },

    'apis.list': () => ok([...this.apis.values()]),
    'apis.get': ({ id }) => {
      const api = this.apis.get(id);
      return api ? ok(api) : fail('not-found', `There is no API "${id}".`);
    },
    'apis.create': (input) => {
      if (input.displayName.trim() === '') return fail('validation', 'displayName: A display name is required.', { issues: [{ path: ['displayName'], message: 'A display name is required.' }] });
      try {
        const u = new URL(input.serviceUrl);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      } catch {
        return fail('validation', 'serviceUrl: The web service URL must be an absolute http:// or https:// URL.', {
          issues: [{ path: ['serviceUrl'], message: 'The web service URL must be an absolute http:// or https:// URL.' }],
        });
      }
      if ([...this.apis.values()].some((a) => a.path === input.path)) return fail('duplicate', `An API already uses the URL suffix "${input.path}".`);
      const id = input.id ?? (input.path || 'root');
      const api = this.addApi({ id, displayName: input.displayName.trim(), path: input.path, serviceUrl: input.serviceUrl });
      this.emitChange({ kind: 'api', action: 'created', id });
      return ok(api);
    },
    'apis.update': (input) => {
      const api = this.apis.get(input.id);
      if (!api) return fail('not-found', `There is no API "${input.id}".`);
      const updated: Api = {
        ...api,
        ...(input.displayName !== undefined && { displayName: input.displayName }),
        ...(input.path !== undefined && { path: input.path }),
        ...(input.serviceUrl !== undefined && { serviceUrl: input.serviceUrl }),
        ...(input.description !== undefined && { description: input.description }),
        backendTls: { ...api.backendTls, ...input.backendTls },
        updatedAt: new Date().toISOString(),
      };
      this.apis.set(api.id, updated);
      this.emitChange({ kind: 'api', action: 'updated', id: api.id });
      return ok(updated);
    },
    'apis.delete': ({ id }) => {
      if (!this.apis.delete(id)) return fail('not-found', `There is no API "${id}".`);
      this.policies.delete(id);
      this.emitChange({ kind: 'api', action: 'deleted', id });
      return ok({ id });
    },

    'policies.get': ({ apiId }) => {
      const xml = this.policies.get(apiId);
      if (xml === undefined) return fail('not-found', `There is no API "${apiId}".`);
      // As the core: a stored text that does not parse comes with its problem.
      const problem = policyProblem(xml);
      return ok(problem ? { apiId, xml, problem } : { apiId, xml });
    },
    'policies.set': ({ apiId, xml }) => {
      if (!this.apis.has(apiId)) return fail('not-found', `There is no API "${apiId}".`);
      const problem = policyProblem(xml);
      if (problem) return fail('validation', problem.message, problem);
      this.policies.set(apiId, xml);
      this.emitChange({ kind: 'policy', action: 'updated', id: apiId });
      return ok({ apiId, xml });
    },

    'security.get': ({ apiId }) => {
      const xml = this.policies.get(apiId);
      return xml === undefined ? fail('not-found', `There is no API "${apiId}".`) : ok(securityOf(xml));
    },
    'security.list': () =>
      ok(
        [...this.apis.keys()].map((apiId) => {
          const security = securityOf(this.policies.get(apiId) ?? '');
          const c = security.type === 'certificate' ? this.certificates.get(security.certificateId) : undefined;
          const certificate = c ? { id: c.id, subject: c.subject, commonName: c.commonName, thumbprint: c.thumbprint, notAfter: c.notAfter } : null;
          return { apiId, security, certificate };
        }),
      ),
    'security.set': ({ apiId, security }) => {
      const xml = this.policies.get(apiId);
      if (xml === undefined) return fail('not-found', `There is no API "${apiId}".`);
      if (security.type === 'certificate' && !this.certificates.has(security.certificateId)) {
        return fail('not-found', `There is no certificate "${security.certificateId}".`);
      }
      if (security.type === 'basic' && security.password === undefined && !this.passwords.has(apiId)) {
        return fail('validation', 'A password is required: none is stored for this API yet.', { field: 'password' });
      }
      this.policies.set(apiId, withSecurity(xml, security));
      if (security.type === 'basic' && security.password !== undefined) this.passwords.set(apiId, security.password);
      this.emitChange({ kind: 'policy', action: 'updated', id: apiId });
      return ok(security.type === 'basic' ? { type: 'basic', username: security.username } : security);
    },

    'gateway.status': () => ok(this.status),
    'gateway.traffic': ({ limit }) => ok(this.traffic.slice(-(limit ?? 100))),
    'gateway.testCall': (input) => {
      const api = this.apis.get(input.apiId);
      if (!api) return fail('not-found', `There is no API "${input.apiId}".`);
      if (this.status.state !== 'running') return fail('gateway-unavailable', 'The gateway is not running.');
      const security = securityOf(this.policies.get(api.id) ?? '');
      const certificate = security.type === 'certificate' ? this.certificates.get(security.certificateId) : undefined;
      const result = certificate
        ? { status: 200, body: JSON.stringify({ method: input.method, path: input.path, clientCertificate: certificate.subject }), errorCode: null }
        : { status: 502, body: JSON.stringify({ code: 'backend-certificate-required' }), errorCode: 'backend-certificate-required' as const };
      const entry = this.emitTraffic({
        requestId: `t${this.traffic.length + 1}`,
        method: input.method,
        path: `/${api.path}${input.path}`,
        apiId: api.id,
        status: result.status,
        certificateId: certificate?.id ?? null,
        thumbprint: certificate?.thumbprint ?? null,
        handshake: certificate ? 'new' : null,
        errorCode: result.errorCode,
      });
      return ok({
        status: result.status,
        durationMs: entry.durationMs,
        headers: { 'content-type': 'application/json' },
        body: result.body,
        bodyTruncated: false,
        certificateId: certificate?.id ?? null,
        thumbprint: certificate?.thumbprint ?? null,
        errorCode: result.errorCode,
      });
    },

    'app.info': () => ok({ dataDir: '/home/operator/.config/CertGate', vault: { ...this.vault } }),
    'vault.unlock': ({ passphrase }) => {
      if (this.vault.protection !== 'passphrase') return fail('passphrase-not-used', 'This data folder keeps its vault key in the OS keychain.');
      if (passphrase !== this.vaultPassphrase) return fail('bad-passphrase', 'The vault passphrase is wrong for this data folder. Nothing was changed.');
      this.vault = { ...this.vault, locked: false };
      this.emitChange({ kind: 'vault', action: 'updated', id: 'vault' });
      return ok({ dataDir: '/home/operator/.config/CertGate', vault: { ...this.vault } });
    },
    'settings.get': () => ok(this.settings),
    'settings.set': (input) => {
      this.settings = { ...this.settings, ...input };
      this.emitChange({ kind: 'settings', action: 'updated', id: 'settings' });
      return ok(this.settings);
    },
  });

  /** Read a fake certificate file as the core parses a real one. */
  parseFile(data: string, password: string | undefined): Result<Omit<Certificate, 'id' | 'uploadedAt' | 'updatedAt'>> {
    const file = readFakeFile(data);
    if (!file) return fail('invalid-format', 'The file is not a PKCS#12 or PEM file.');
    if ((file.password ?? '') !== (password ?? '')) return fail('bad-password', 'The password is wrong for this file.');
    if (file.noKey) return fail('no-private-key', 'The file has no private key.');
    const { id: _id, uploadedAt: _u, updatedAt: _v, ...info } = makeCertificate({
      id: 'x',
      subject: file.subject,
      // The same file always has the same thumbprint, as a real certificate does.
      thumbprint: file.thumbprint ?? createHash('sha1').update(data).digest('hex').toUpperCase(),
      expiresInDays: file.expiresInDays,
      weak: file.weak,
    });
    return ok(info);
  }
}
