import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  fail,
  ok,
  type AppError,
  type CallOptions,
  type Certificate,
  type CertificateSource,
  type Diagnosis,
  type ErrorCode,
  type OperationOutput,
  type Operations,
  type ParsedInput,
  type Result,
  type Rotation,
} from '../../../preload/contract';
import { MAX_FILE_BYTES, parseCertificateFile, type ParsedCertificate } from '../certificates/parse';
import type { ClientCertificateMaterial } from '../gateway/types';
import type { StoredCertificate, StoreData } from '../store/schema';
import { Vault } from '../vault/vault';
import { publicCertificate, type CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import { globalUses, presentersOf, switchScopes, usersOf } from './rotation-scopes';
import { newRotationId } from './rotation-service';

/** Diagnose an API's back end presenting material that is not stored yet: a linked file's renewal. */
export type MaterialPreflight = (apiId: string, material: ClientCertificateMaterial) => Promise<Result<Diagnosis>>;

type LinkOperations = Pick<Operations, 'certificates.link' | 'certificates.unlink' | 'certificates.sync'>;

/** Back ends diagnosed at once during a preflight. */
const PREFLIGHT_CONCURRENCY = 8;

/** The link operations, and the sync the watcher runs. */
export interface LinkService {
  readonly operations: LinkOperations;
  /** Read a linked file and import it if it changed (preflight, one switch, rotation record); never throws. */
  sync(id: string): Promise<Result<Certificate>>;
}

/**
 * Linked certificates (issue 14): a certificate that follows a PFX/PEM file on this machine. A renewal keeps
 * the certificate's id (so every API and policy follows) and adds a version; the version it replaces is kept
 * as an ordinary certificate `ID-vN`, and the switch is recorded as a rotation from it, so a rollback points
 * the APIs at the previous version exactly as for a manual rotation. A file that is missing, unreadable, has
 * the wrong password, holds an expired certificate or fails the preflight changes nothing: the certificate
 * shows the sync error (with the APIs at risk) and the time of its last good sync.
 */
export function linkService(ctx: ServiceContext, preflight: MaterialPreflight): LinkService {
  const running = new Map<string, Promise<Result<Certificate>>>();

  const sync = (id: string): Promise<Result<Certificate>> => {
    // One sync of a certificate at a time; a request meanwhile joins it (the watcher asks again if it changed since).
    const current = running.get(id);
    if (current) return current;
    const run = syncOnce(ctx, preflight, id)
      .catch((err: unknown) => fail<Certificate>('internal', `The sync of "${id}" hit an unexpected problem: ${err instanceof Error ? err.message : String(err)}.`))
      .finally(() => running.delete(id));
    running.set(id, run);
    return run;
  };

  return {
    sync,
    operations: {
      'certificates.link': (input, options) => linkFile(ctx, sync, input, options),
      'certificates.unlink': ({ id }) => unlinkFile(ctx, id),
      async 'certificates.sync'({ id }) {
        const found = ctx.store.data.certificates.find((c) => c.id === id);
        if (!found) return notFound(id);
        if (!found.source) return fail('validation', `The certificate "${id}" is not linked to a file.`);
        const result = await sync(id);
        // A failed sync is the certificate's state (shown with it), not a failure of this request.
        if (!result.ok && result.error.code === 'internal') return result;
        const after = ctx.store.data.certificates.find((c) => c.id === id);
        return after ? ok(publicCertificate(after)) : notFound(id);
      },
    },
  };
}

/** `certificates.link`: read and check the file, keep its password in the vault, store or re-point the certificate. */
async function linkFile(
  ctx: ServiceContext,
  sync: (id: string) => Promise<Result<Certificate>>,
  input: ParsedInput<'certificates.link'>,
  options?: CallOptions,
): Promise<Result<OperationOutput<'certificates.link'>>> {
  if (!path.isAbsolute(input.file)) {
    return fail('validation', `The file must be an absolute path on the machine that runs CertGate ("${input.file}" is relative).`, { field: 'file' });
  }
  const read = await readLinked(input.file);
  if (!read.ok) return read;
  const parsed = await parseCertificateFile(read.value, input.password, { fileName: path.basename(input.file), signal: options?.signal });
  if (!parsed.ok) return parsed;
  const expired = validityProblem(parsed.value, input.file, ctx.now());
  if (expired) return fail('validation', expired);
  const existing = ctx.store.data.certificates.find((c) => c.id === input.id);
  if (existing && input.replace !== true) {
    return fail('duplicate', `A certificate with id "${input.id}" already exists. Choose another id, or link it with replace.`, { existingId: input.id });
  }
  if (!existing && input.replace === true) return notFound(input.id);
  const passwordRef = input.password !== undefined ? Vault.newRef() : null;
  if (passwordRef !== null) {
    const put = await ctx.vault.put(passwordRef, input.password ?? '');
    if (!put.ok) return put;
  }
  const linked = existing
    ? await linkExisting(ctx, existing, input.file, passwordRef)
    : await linkNew(ctx, input.id, input.file, parsed.value, passwordRef, sha256(read.value));
  if (!linked.ok) {
    if (passwordRef !== null) await ctx.vault.delete(passwordRef);
    return linked;
  }
  ctx.events.emit('changes', { kind: 'certificate', action: existing ? 'updated' : 'created', id: input.id });
  if (!existing) return ok({ certificate: linked.value, created: true });
  // An existing id takes the file's certificate the way a renewal does: preflight, one switch, a rotation.
  const synced = await sync(input.id);
  return ok({ certificate: synced.ok ? synced.value : linked.value, created: false });
}

/** `certificates.unlink`: the certificate stays as it is, without its source; the file's password leaves the vault. */
async function unlinkFile(ctx: ServiceContext, id: string): Promise<Result<Certificate>> {
  let passwordRef: string | null = null;
  const result = await ctx.store.update((draft): Result<Certificate> => {
    const index = draft.certificates.findIndex((c) => c.id === id);
    const found = draft.certificates[index];
    if (!found) return notFound(id);
    if (!found.source) return fail('validation', `The certificate "${id}" is not linked to a file.`);
    passwordRef = found.link?.passwordRef ?? null;
    const { link: _link, ...rest } = found;
    const plain: StoredCertificate = { ...rest, source: null, updatedAt: ctx.now().toISOString() };
    draft.certificates[index] = plain;
    return ok(publicCertificate(plain));
  });
  if (!result.ok) return result;
  if (passwordRef) await ctx.vault.delete(passwordRef);
  ctx.events.emit('changes', { kind: 'certificate', action: 'updated', id });
  return result;
}

async function linkNew(
  ctx: ServiceContext,
  id: string,
  file: string,
  parsed: ParsedCertificate,
  passwordRef: string | null,
  hash: string,
): Promise<Result<Certificate>> {
  const { info, keyPem, chainPem } = parsed;
  const secretRef = Vault.newRef();
  const put = await ctx.vault.put(secretRef, JSON.stringify({ keyPem, chainPem } satisfies CertificateSecret));
  if (!put.ok) return put;
  const stamp = ctx.now().toISOString();
  const result = await ctx.store.update((draft): Result<Certificate> => {
    if (draft.certificates.some((c) => c.id === id)) return fail('duplicate', `A certificate with id "${id}" already exists.`, { existingId: id });
    const same = draft.certificates.find((c) => c.thumbprint === info.thumbprint);
    if (same) return fail('duplicate', `This certificate (thumbprint ${info.thumbprint}) is already uploaded as "${same.id}"; link that id with replace.`, { existingId: same.id });
    const source: CertificateSource = { file, linkedAt: stamp, state: 'ok', lastGoodSyncAt: stamp, syncError: null };
    const stored: StoredCertificate = { ...info, id, uploadedAt: stamp, updatedAt: stamp, secretRef, version: 1, source, link: { passwordRef, sha256: hash } };
    draft.certificates.push(stored);
    return ok(publicCertificate(stored));
  });
  if (!result.ok) await ctx.vault.delete(secretRef);
  return result;
}

async function linkExisting(ctx: ServiceContext, existing: StoredCertificate, file: string, passwordRef: string | null): Promise<Result<Certificate>> {
  let oldPasswordRef: string | null = null;
  const stamp = ctx.now().toISOString();
  const result = await ctx.store.update((draft): Result<Certificate> => {
    const index = draft.certificates.findIndex((c) => c.id === existing.id);
    const found = draft.certificates[index];
    if (!found) return notFound(existing.id);
    oldPasswordRef = found.link?.passwordRef ?? null;
    const source: CertificateSource = { file, linkedAt: stamp, state: 'pending', lastGoodSyncAt: null, syncError: null };
    // No hash yet: the first sync reads the file and switches to its certificate if it differs.
    const stored: StoredCertificate = { ...found, updatedAt: stamp, source, link: { passwordRef, sha256: null } };
    draft.certificates[index] = stored;
    return ok(publicCertificate(stored));
  });
  if (result.ok && oldPasswordRef) await ctx.vault.delete(oldPasswordRef);
  return result;
}

/** One sync: read, compare, parse, check, preflight, switch; or record why nothing changed. */
async function syncOnce(ctx: ServiceContext, preflight: MaterialPreflight, id: string): Promise<Result<Certificate>> {
  const cert = ctx.store.data.certificates.find((c) => c.id === id);
  if (!cert) return notFound(id);
  const source = cert.source;
  if (!source) return fail('validation', `The certificate "${id}" is not linked to a file.`);
  const apisAtRisk = presentersOf(ctx.store.data, id).map((u) => u.apiName);
  const problem = (code: ErrorCode, message: string, risk = apisAtRisk) => recordError(ctx, id, cert.secretRef, { code, message, apisAtRisk: risk });

  const read = await readLinked(source.file);
  if (!read.ok) return problem(read.error.code, read.error.message);
  const hash = sha256(read.value);
  if (hash === cert.link?.sha256) return recordGood(ctx, id, cert.secretRef, hash, source.state !== 'ok');

  let password: string | undefined;
  if (cert.link?.passwordRef) {
    const stored = await ctx.vault.get(cert.link.passwordRef);
    if (!stored.ok) return problem(stored.error.code, `The password of ${source.file} could not be read from the vault: ${stored.error.message}`);
    password = stored.value;
  }
  const parsed = await parseCertificateFile(read.value, password, { fileName: path.basename(source.file) });
  if (!parsed.ok) {
    const words = parsed.error.code === 'bad-password' ? `${parsed.error.message} Link the file again with its new password.` : parsed.error.message;
    return problem(parsed.error.code, words);
  }
  const { info } = parsed.value;
  // The same certificate written again (another tool, another encryption): nothing to switch.
  if (info.thumbprint === cert.thumbprint) return recordGood(ctx, id, cert.secretRef, hash, true);
  const invalid = validityProblem(parsed.value, source.file, ctx.now());
  if (invalid) return problem('validation', `${invalid} The APIs keep version ${cert.version ?? 1}.`);
  const twin = ctx.store.data.certificates.find((c) => c.thumbprint === info.thumbprint);
  if (twin) return problem('duplicate', `${source.file} now holds the certificate already stored as "${twin.id}" (thumbprint ${info.thumbprint}); nothing was switched.`);

  const material: ClientCertificateMaterial = {
    id,
    thumbprint: info.thumbprint,
    version: (cert.version ?? 1) + 1,
    keyPem: parsed.value.keyPem,
    certPem: parsed.value.chainPem,
  };
  // Every API whose calls present it: its own policies, its operations', or the global policy's.
  const users = presentersOf(ctx.store.data, id);
  const failed: { apiName: string; error: AppError }[] = [];
  for (let i = 0; i < users.length; i += PREFLIGHT_CONCURRENCY) {
    const batch = users.slice(i, i + PREFLIGHT_CONCURRENCY);
    const results = await Promise.all(batch.map(async (u) => ({ u, r: await preflight(u.apiId, material).catch((err: unknown) => fail<Diagnosis>('internal', String(err))) })));
    for (const { u, r } of results) {
      if (!r.ok) failed.push({ apiName: u.apiName, error: r.error });
      else if (!r.value.ok) {
        const first = r.value.problems[0];
        failed.push({ apiName: u.apiName, error: { code: first?.code ?? 'internal', message: first?.message ?? 'The diagnosis did not pass.' } });
      }
    }
  }
  if (failed.length > 0) {
    const names = failed.map((f) => `"${f.apiName}"`).join(', ');
    const first = failed[0]!;
    return problem(first.error.code, `The renewed certificate in ${source.file} (…${info.thumbprint.slice(-4)}) failed the preflight of ${names}: ${first.error.message} Nothing was switched.`);
  }
  return switchToRenewal(ctx, cert, parsed.value, hash);
}

/** Store the renewal under the certificate's id (version + 1), keep the old version as `ID-vN`, switch, record. */
async function switchToRenewal(ctx: ServiceContext, before: StoredCertificate, parsed: ParsedCertificate, hash: string): Promise<Result<Certificate>> {
  const secretRef = Vault.newRef();
  const put = await ctx.vault.put(secretRef, JSON.stringify({ keyPem: parsed.keyPem, chainPem: parsed.chainPem } satisfies CertificateSecret));
  if (!put.ok) return recordError(ctx, before.id, before.secretRef, { code: put.error.code, message: put.error.message, apisAtRisk: [] });
  const stamp = ctx.now().toISOString();
  let rotation: Rotation | null = null;
  let archived = '';
  const result = await ctx.store.update((draft): Result<Certificate> => {
    const index = draft.certificates.findIndex((c) => c.id === before.id);
    const current = draft.certificates[index];
    // Replaced, unlinked or deleted during the preflight: this sync is void; the watcher looks again.
    if (!current || current.secretRef !== before.secretRef || !current.source) return fail('precondition-failed', `The certificate "${before.id}" changed during its sync; nothing was switched.`);
    const users = usersOf(draft, before.id).map((u) => u.apiId);
    // Thumbprint references would stay on the old version: point every user at the id first (one change).
    const pointed = switchScopes(draft, { apiIds: users, global: globalUses(draft, before.id) }, before.id, before.id, stamp);
    if (!pointed.ok) return pointed;
    const version = current.version ?? 1;
    const archiveId = archiveIdFor(draft, before.id, version);
    archived = archiveId;
    const { link: _link, ...plain } = current;
    draft.certificates.push({ ...plain, id: archiveId, source: null, version, updatedAt: stamp });
    const renewed: StoredCertificate = {
      ...parsed.info,
      id: before.id,
      uploadedAt: current.uploadedAt,
      updatedAt: stamp,
      secretRef,
      version: version + 1,
      source: { ...current.source, state: 'ok', lastGoodSyncAt: stamp, syncError: null },
      link: { passwordRef: current.link?.passwordRef ?? null, sha256: hash },
    };
    draft.certificates[index] = renewed;
    const { apiIds, operations, global } = pointed.value;
    if (apiIds.length > 0 || global) {
      rotation = { id: newRotationId(draft), fromCertificateId: archiveId, toCertificateId: before.id, apiIds, operations, global, rotatedAt: stamp, rolledBackAt: null };
      draft.rotations.push(rotation);
    }
    return ok(publicCertificate(renewed));
  });
  if (!result.ok) {
    await ctx.vault.delete(secretRef);
    return result;
  }
  ctx.events.emit('changes', { kind: 'certificate', action: 'updated', id: before.id });
  ctx.events.emit('changes', { kind: 'certificate', action: 'created', id: archived });
  for (const apiId of (rotation as Rotation | null)?.apiIds ?? []) ctx.events.emit('changes', { kind: 'policy', action: 'updated', id: apiId });
  return result;
}

/** The id the replaced version keeps: "client1-v1", or "client1-v1-2" when taken. */
function archiveIdFor(draft: StoreData, id: string, version: number): string {
  const taken = new Set(draft.certificates.map((c) => c.id.toLowerCase()));
  const suffix = `-v${version}`;
  const base = `${id.slice(0, 80 - suffix.length - 4).trimEnd()}${suffix}`;
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

/** Note a good read (written only when something shows: an error cleared, or an explicit first sync). */
async function recordGood(ctx: ServiceContext, id: string, secretRef: string, hash: string, write: boolean): Promise<Result<Certificate>> {
  const stored = ctx.store.data.certificates.find((c) => c.id === id);
  if (!stored) return notFound(id);
  if (!write && stored.link?.sha256 === hash) return ok(publicCertificate(stored));
  const stamp = ctx.now().toISOString();
  const result = await ctx.store.update((draft): Result<Certificate> => {
    const index = draft.certificates.findIndex((c) => c.id === id);
    const current = draft.certificates[index];
    if (!current?.source || current.secretRef !== secretRef) return current ? ok(publicCertificate(current)) : notFound(id);
    const next: StoredCertificate = {
      ...current,
      source: { ...current.source, state: 'ok', lastGoodSyncAt: stamp, syncError: null },
      link: { passwordRef: current.link?.passwordRef ?? null, sha256: hash },
    };
    draft.certificates[index] = next;
    return ok(publicCertificate(next));
  });
  if (result.ok) ctx.events.emit('changes', { kind: 'certificate', action: 'updated', id });
  return result;
}

/** Show why a sync changed nothing; the same error again is not written again (it keeps its first time). */
async function recordError(
  ctx: ServiceContext,
  id: string,
  secretRef: string,
  error: { readonly code: ErrorCode; readonly message: string; readonly apisAtRisk: readonly string[] },
): Promise<Result<Certificate>> {
  const result = await ctx.store.update((draft): Result<{ cert: Certificate; changed: boolean }> => {
    const index = draft.certificates.findIndex((c) => c.id === id);
    const current = draft.certificates[index];
    if (!current) return notFound(id);
    if (!current.source || current.secretRef !== secretRef) return ok({ cert: publicCertificate(current), changed: false });
    const previous = current.source.syncError;
    if (previous && previous.code === error.code && previous.message === error.message) {
      return fail('precondition-failed', 'unchanged');
    }
    const next: StoredCertificate = { ...current, source: { ...current.source, state: 'error', syncError: { ...error, at: ctx.now().toISOString() } } };
    draft.certificates[index] = next;
    return ok({ cert: publicCertificate(next), changed: true });
  });
  if (!result.ok) {
    if (result.error.message !== 'unchanged') return result;
    const unchanged = ctx.store.data.certificates.find((c) => c.id === id);
    return fail(error.code, error.message, { certificate: unchanged ? publicCertificate(unchanged) : null });
  }
  if (result.value.changed) ctx.events.emit('changes', { kind: 'certificate', action: 'updated', id });
  return fail(error.code, error.message, { certificate: result.value.cert });
}

async function readLinked(file: string): Promise<Result<Buffer>> {
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_FILE_BYTES) return fail('too-large', `${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; certificate files are a few KiB.`);
    return ok(bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('not-found', `There is no file at ${file} (moved or deleted?). The APIs keep the current version.`);
    if (code === 'EACCES' || code === 'EPERM') return fail('io-error', `CertGate has no permission to read ${file}. The APIs keep the current version.`);
    if (code === 'EISDIR') return fail('validation', `${file} is a folder, not a certificate file.`);
    return fail('io-error', `CertGate cannot read ${file} (${code ?? String(err)}). The APIs keep the current version.`);
  }
}

/** Why a certificate may not go live today, or null. */
function validityProblem(parsed: ParsedCertificate, file: string, now: Date): string | null {
  if (Date.parse(parsed.info.notAfter) <= now.getTime()) return `The certificate in ${file} expired on ${parsed.info.notAfter}.`;
  if (Date.parse(parsed.info.notBefore) > now.getTime()) return `The certificate in ${file} is not valid before ${parsed.info.notBefore}.`;
  return null;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function notFound(id: string): Result<never> {
  return fail('not-found', `There is no client certificate with id "${id}".`);
}
