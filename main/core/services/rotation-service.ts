import { randomBytes } from 'node:crypto';
import {
  fail,
  ok,
  type AppError,
  type Certificate,
  type Diagnosis,
  type Operations,
  type ParsedInput,
  type Result,
  type Rotation,
  type RotationResult,
} from '../../../preload/contract';
import { MAX_FILE_BYTES, parseCertificateFile, type ParsedCertificate } from '../certificates/parse';
import { expiringCertificates } from './expiry';
import type { StoredCertificate, StoreData } from '../store/schema';
import { Vault } from '../vault/vault';
import { publicCertificate, type CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import { presentersOf, switchScopes, type ApiUser, type SwitchedScopes } from './rotation-scopes';

/** Diagnose an API's back end as if it presented another stored certificate: the rotation's preflight. */
export type PreflightDiagnose = (apiId: string, certificateId: string) => Promise<Result<Diagnosis>>;

type RotationOperations = Pick<Operations, 'certificates.expiring' | 'certificates.rotate' | 'certificates.rollback' | 'certificates.rotations'>;
type Preflight = RotationResult['preflight'][number];

/** Back ends diagnosed at once during a preflight. */
const PREFLIGHT_CONCURRENCY = 8;

/**
 * Certificate rotation with a preflight and rollback, and expiry reports. A rotation uploads the replacement
 * as a new certificate, diagnoses every API whose calls present the old one (its own policy or an operation's
 * names it, or it inherits it from the global policy) with it, and only then switches the policies that present
 * it in one atomic store write (with the rotation's record: APIs, operations, global), so a crash leaves all or
 * none switched. Without `apiIds` it switches all of them, the global policy included, if every preflight
 * passed, else none; with `apiIds` (the operator's choice) exactly those (and the global policy with
 * `global`), whatever the preflight says, so `apiIds: []` is a dry run that uploads and preflights only. The
 * old certificate is kept until the operator deletes it: a rollback switches back to it.
 */
export function rotationOperations(ctx: ServiceContext, diagnose: PreflightDiagnose): RotationOperations {
  return {
    async 'certificates.expiring'({ withinDays }) {
      return ok(expiringCertificates(ctx.store.data, ctx.now(), withinDays));
    },

    async 'certificates.rotations'() {
      return ok(ctx.store.data.rotations);
    },

    'certificates.rotate': (input, options) => rotate(ctx, diagnose, input, options?.signal),

    async 'certificates.rollback'({ rotationId }) {
      const stamp = ctx.now().toISOString();
      const result = await ctx.store.update((draft) => rollbackIn(draft, rotationId, stamp));
      if (!result.ok) return result;
      emitSwitched(ctx, result.value.switched);
      return ok(result.value.rotation);
    },
  };
}

type RotateInput = ParsedInput<'certificates.rotate'>;

async function rotate(ctx: ServiceContext, diagnose: PreflightDiagnose, input: RotateInput, signal: AbortSignal | undefined): Promise<Result<RotationResult>> {
  const { id } = input;
  const checked = checkRotateInput(ctx.store.data, input);
  if (!checked.ok) return checked;
  const parsed = await parseCertificateFile(Buffer.from(input.data, 'base64'), input.password, { fileName: input.fileName, signal });
  if (!parsed.ok) return parsed;
  const placed = await placeReplacement(ctx, id, input.newId, parsed.value);
  if (!placed.ok) return placed;
  const newCertificate = placed.value;

  const affected = presentersOf(ctx.store.data, id);
  const preflight = await preflightAll(ctx, diagnose, affected, newCertificate);
  // The operator's explicit choice wins; otherwise all or nothing, on the preflight's word.
  const passed = preflight.every((p) => p.ok);
  const choice = input.apiIds
    ? { apiIds: input.apiIds, global: input.global === true }
    : { apiIds: passed ? affected.map((u) => u.apiId) : [], global: passed };
  if (choice.apiIds.length === 0 && !choice.global) return ok({ rotation: null, newCertificate, preflight, switched: [] });

  const stamp = ctx.now().toISOString();
  const result = await ctx.store.update((draft) => {
    if (!draft.certificates.some((c) => c.id === newCertificate.id)) {
      return fail('not-found', `The new certificate "${newCertificate.id}" was deleted during the preflight; nothing was switched.`);
    }
    const switched = switchScopes(draft, choice, id, newCertificate.id, stamp);
    if (!switched.ok) return switched;
    const { apiIds, operations, global } = switched.value;
    if (apiIds.length === 0 && !global) return ok(null);
    const rotation: Rotation = { id: newRotationId(draft), fromCertificateId: id, toCertificateId: newCertificate.id, apiIds, operations, global, rotatedAt: stamp, rolledBackAt: null };
    draft.rotations.push(rotation);
    return ok(rotation);
  });
  if (!result.ok) return result;
  const rotation = result.value;
  if (rotation) emitSwitched(ctx, { apiIds: rotation.apiIds, operations: [], global: rotation.global === true });
  return ok({ rotation, newCertificate, preflight, switched: rotation?.apiIds ?? [] });
}

/** What a rotation refuses before reading the file: an unknown certificate, the same id, APIs it does not concern, a huge file. */
function checkRotateInput(data: Readonly<StoreData>, input: RotateInput): Result<null> {
  const { id } = input;
  if (!data.certificates.some((c) => c.id === id)) return notFound(id);
  if (input.newId === id) {
    return fail('validation', `The new id must differ from "${id}": a rotation keeps the old certificate for a rollback. To replace it in place, upload with replace.`, { field: 'newId' });
  }
  if (input.apiIds) {
    const users = new Set(presentersOf(data, id).map((a) => a.apiId));
    const strangers = input.apiIds.filter((a) => !users.has(a));
    if (strangers.length > 0) {
      return fail('validation', `${strangers.map((a) => `"${a}"`).join(', ')} ${strangers.length === 1 ? 'does' : 'do'} not use the certificate "${id}"; only its APIs can be switched.`, { field: 'apiIds', apiIds: strangers });
    }
  }
  if ((input.data.length * 3) / 4 > MAX_FILE_BYTES + 3) {
    return fail('too-large', `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; certificate files are a few KiB.`);
  }
  return ok(null);
}

/** Diagnose each affected API with the new certificate, a few at a time; a failed diagnosis is a failed preflight. */
async function preflightAll(ctx: ServiceContext, diagnose: PreflightDiagnose, affected: readonly ApiUser[], cert: Certificate): Promise<Preflight[]> {
  const one = async ({ apiId, apiName }: ApiUser): Promise<Preflight> => {
    let result: Result<Diagnosis>;
    try {
      result = await diagnose(apiId, cert.id);
    } catch (err) {
      result = fail('internal', `The preflight diagnosis of "${apiName}" hit an unexpected problem: ${err instanceof Error ? err.message : String(err)}.`);
    }
    if (result.ok) return { apiId, apiName, ok: result.value.ok, diagnosis: result.value };
    const serviceUrl = ctx.store.data.apis.find((a) => a.id === apiId)?.serviceUrl ?? '';
    return { apiId, apiName, ok: false, diagnosis: unfinishedDiagnosis(apiId, serviceUrl, cert, result.error) };
  };
  const preflight: Preflight[] = [];
  for (let i = 0; i < affected.length; i += PREFLIGHT_CONCURRENCY) {
    preflight.push(...(await Promise.all(affected.slice(i, i + PREFLIGHT_CONCURRENCY).map(one))));
  }
  return preflight;
}

/** In a draft, switch a rotation's scopes back to its old certificate and mark it rolled back. */
function rollbackIn(draft: StoreData, rotationId: string, stamp: string): Result<{ readonly rotation: Rotation; readonly switched: SwitchedScopes }> {
  const index = draft.rotations.findIndex((r) => r.id === rotationId);
  const rotation = draft.rotations[index];
  if (!rotation) return fail('not-found', `There is no rotation with id "${rotationId}".`);
  if (rotation.rolledBackAt !== null) {
    return fail('validation', `The rotation "${rotationId}" was already rolled back at ${rotation.rolledBackAt}.`);
  }
  const { fromCertificateId: from, toCertificateId: to } = rotation;
  if (!draft.certificates.some((c) => c.id === from)) {
    return fail('not-found', `The certificate "${from}" that rotation "${rotationId}" replaced has been deleted, so there is nothing to switch back to. Upload it again with the id "${from}", then roll back.`);
  }
  // APIs deleted or switched elsewhere since the rotation are left as they are.
  const switched = switchScopes(draft, { apiIds: rotation.apiIds, global: rotation.global === true }, to, from, stamp);
  if (!switched.ok) return switched;
  if (switched.value.apiIds.length === 0 && !switched.value.global && (rotation.apiIds.length > 0 || rotation.global === true)) {
    return fail('validation', `None of the policies of rotation "${rotationId}" still use "${to}"; there is nothing to roll back.`);
  }
  const rolledBack: Rotation = { ...rotation, rolledBackAt: stamp };
  draft.rotations[index] = rolledBack;
  return ok({ rotation: rolledBack, switched: switched.value });
}

/** Tell listeners (the gateway, the console) which policies changed. */
function emitSwitched(ctx: ServiceContext, switched: SwitchedScopes): void {
  if (switched.global) ctx.events.emit('changes', { kind: 'policy', action: 'updated', id: '' });
  for (const apiId of switched.apiIds) ctx.events.emit('changes', { kind: 'policy', action: 'updated', id: apiId });
}

/**
 * Store the replacement as a new certificate, the key in the vault first (as an upload does). A file whose
 * certificate is already stored under another id is reused: that is how an operator retries a rotation
 * whose preflight failed. The old certificate itself is refused.
 */
async function placeReplacement(ctx: ServiceContext, oldId: string, newId: string | undefined, parsed: ParsedCertificate): Promise<Result<Certificate>> {
  const { info, keyPem, chainPem } = parsed;
  const reuse = (same: StoredCertificate): Result<Certificate> => {
    if (same.id === oldId) {
      return fail('duplicate', `This file holds the certificate "${oldId}" itself (thumbprint ${info.thumbprint}); a rotation needs its replacement.`, { existingId: oldId });
    }
    if (newId !== undefined && same.id !== newId) {
      return fail('duplicate', `This certificate (thumbprint ${info.thumbprint}) is already uploaded as "${same.id}"; rotate to "${same.id}" instead of "${newId}".`, { existingId: same.id });
    }
    return ok(publicCertificate(same));
  };
  const known = ctx.store.data.certificates.find((c) => c.thumbprint === info.thumbprint);
  if (known) return reuse(known);

  const secretRef = Vault.newRef();
  const secret: CertificateSecret = { keyPem, chainPem };
  const put = await ctx.vault.put(secretRef, JSON.stringify(secret));
  if (!put.ok) return put;
  const stamp = ctx.now().toISOString();
  let created = false;
  const result = await ctx.store.update((draft): Result<Certificate> => {
    if (!draft.certificates.some((c) => c.id === oldId)) return notFound(oldId);
    const same = draft.certificates.find((c) => c.thumbprint === info.thumbprint);
    if (same) return reuse(same);
    const id = newId ?? nextId(oldId, draft.certificates.map((c) => c.id));
    if (draft.certificates.some((c) => c.id === id)) {
      return fail('duplicate', `A certificate with id "${id}" already exists. Choose another new id.`, { existingId: id });
    }
    const stored: StoredCertificate = { ...info, id, uploadedAt: stamp, updatedAt: stamp, secretRef, version: 1 };
    draft.certificates.push(stored);
    created = true;
    return ok(publicCertificate(stored));
  });
  if (!result.ok || !created) await ctx.vault.delete(secretRef);
  if (result.ok && created) ctx.events.emit('changes', { kind: 'certificate', action: 'created', id: result.value.id });
  return result;
}

/** The replacement's default id: "client1" → "client1-2", "client1-2" → "client1-3", skipping ids taken. */
export function nextId(oldId: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  const numbered = /^(.+)-(\d{1,3})$/.exec(oldId);
  const base = numbered?.[1] ?? oldId;
  for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 80 - suffix.length).trimEnd()}${suffix}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

/** A fresh rotation id. */
export function newRotationId(draft: StoreData): string {
  for (;;) {
    const id = `rot-${randomBytes(5).toString('hex')}`;
    if (!draft.rotations.some((r) => r.id === id)) return id;
  }
}

function notFound(id: string): Result<never> {
  return fail('not-found', `There is no client certificate with id "${id}".`);
}

/** A diagnosis that could not run (the operation failed): the failure is its one problem. */
function unfinishedDiagnosis(apiId: string, url: string, cert: Certificate, error: AppError): Diagnosis {
  return {
    apiId,
    url,
    ok: false,
    steps: [],
    tls: null,
    clientCertificate: { required: null, presented: { id: cert.id, thumbprint: cert.thumbprint }, accepted: null, alert: null },
    httpStatus: null,
    problems: [{ code: error.code, message: error.message, fix: 'Check the API with a diagnosis, then rotate again, or choose the APIs to switch.' }],
  };
}
