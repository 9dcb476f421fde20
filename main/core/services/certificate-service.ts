import {
  fail,
  ok,
  type Certificate,
  type CertificateWithUsage,
  type OperationOutput,
  type Operations,
  type ParsedInput,
  type Result,
} from '../../../preload/contract';
import { estimateCertificateFile, MAX_FILE_BYTES, parseCertificateFile } from '../certificates/parse';
import type { StoredCertificate, StoreData } from '../store/schema';
import { Vault } from '../vault/vault';
import type { ServiceContext } from './context';
import { deriveId } from './ids';
import { usageIndex, usageLabel } from './usage';

type CertificateOperations = Pick<
  Operations,
  'certificates.list' | 'certificates.get' | 'certificates.inspect' | 'certificates.estimate' | 'certificates.upload' | 'certificates.delete'
>;

/** The secret kept in the vault for a client certificate. */
export interface CertificateSecret {
  readonly keyPem: string;
  readonly chainPem: string;
}

/** Client certificate operations: inspect, estimate, upload (create or replace), list, get, delete. */
export function certificateOperations(ctx: ServiceContext): CertificateOperations {
  const withUsage = (c: StoredCertificate): CertificateWithUsage => {
    const usedBy = ctx.usage.get(ctx.store.data, ctx.store.revision).certificates.get(c.id) ?? [];
    return { ...publicCertificate(c), usedBy };
  };

  return {
    async 'certificates.list'() {
      return ok(ctx.store.data.certificates.map(withUsage));
    },

    async 'certificates.get'({ id }) {
      const found = ctx.store.data.certificates.find((c) => c.id === id);
      return found ? ok(withUsage(found)) : fail('not-found', `There is no client certificate with id "${id}".`);
    },

    async 'certificates.inspect'({ data, password, fileName }, options) {
      const bytes = decode(data);
      if (!bytes.ok) return bytes;
      const parsed = await parseCertificateFile(bytes.value, password, { fileName, signal: options?.signal });
      return parsed.ok ? ok(parsed.value.info) : parsed;
    },

    async 'certificates.estimate'({ data }) {
      const bytes = decode(data);
      return bytes.ok ? estimateCertificateFile(bytes.value) : bytes;
    },

    'certificates.upload': (input, options) => uploadCertificate(ctx, input, options?.signal),
    'certificates.delete': ({ id }) => deleteCertificate(ctx, id),
  };
}

/** Parse, put the key in the vault, then record the certificate (a new one, or a replacement keeping its id). */
async function uploadCertificate(
  ctx: ServiceContext,
  input: ParsedInput<'certificates.upload'>,
  signal: AbortSignal | undefined,
): Promise<Result<OperationOutput<'certificates.upload'>>> {
  const bytes = decode(input.data);
  if (!bytes.ok) return bytes;
  const parsed = await parseCertificateFile(bytes.value, input.password, { fileName: input.fileName, signal });
  if (!parsed.ok) return parsed;
  const { info, keyPem, chainPem } = parsed.value;
  const secretRef = Vault.newRef();
  const secret: CertificateSecret = { keyPem, chainPem };
  // The key goes into the vault first: a process that dies before the store write leaves an
  // unreferenced entry, which the next start sweeps away; never a certificate without its key.
  const put = await ctx.vault.put(secretRef, JSON.stringify(secret));
  if (!put.ok) return put;
  let replacedRef: string | null = null;
  const stamp = ctx.now().toISOString();
  const result = await ctx.store.update((draft) => {
    const target = placeUpload(draft, input.id, input.replace === true, info.thumbprint, info.commonName);
    if (!target.ok) return target;
    const previous = target.value.existing;
    if (previous && input.expectedUpdatedAt !== undefined && previous.updatedAt !== input.expectedUpdatedAt) {
      return fail('precondition-failed', `The certificate "${previous.id}" was changed by someone else meanwhile; read it again before replacing it.`, {
        updatedAt: previous.updatedAt,
      });
    }
    const stored: StoredCertificate = {
      ...info,
      id: target.value.id,
      uploadedAt: previous?.uploadedAt ?? stamp,
      updatedAt: stamp,
      secretRef,
      // A manual replacement is a new version; a linked certificate stays linked to its file.
      version: previous ? (previous.version ?? 1) + 1 : 1,
      ...(previous?.source ? { source: previous.source, link: previous.link } : {}),
    };
    if (previous) {
      replacedRef = previous.secretRef;
      draft.certificates[draft.certificates.indexOf(previous)] = stored;
    } else {
      draft.certificates.push(stored);
    }
    return ok({ certificate: publicCertificate(stored), created: !previous });
  });
  if (!result.ok) {
    await ctx.vault.delete(secretRef);
    return result;
  }
  if (replacedRef) await ctx.vault.delete(replacedRef);
  ctx.events.emit('changes', { kind: 'certificate', action: result.value.created ? 'created' : 'updated', id: result.value.certificate.id });
  return result;
}

/** Delete a certificate no API uses; `in-use` lists the APIs that still do. */
async function deleteCertificate(ctx: ServiceContext, id: string): Promise<Result<{ readonly id: string }>> {
  let removedRef: string | null = null;
  let passwordRef: string | null = null;
  const result = await ctx.store.update((draft) => {
    const index = draft.certificates.findIndex((c) => c.id === id);
    const found = draft.certificates[index];
    if (!found) return fail('not-found', `There is no client certificate with id "${id}".`);
    const usedBy = usageIndex(draft).certificates.get(id) ?? [];
    if (usedBy.length > 0) {
      const apisOnly = usedBy.every((u) => u.operationId === undefined && !u.global);
      const names = usedBy.map(usageLabel).join(', ');
      return fail(
        'in-use',
        apisOnly
          ? `The certificate "${id}" is used by ${usedBy.length === 1 ? 'the API' : 'the APIs'} ${names}. Remove it from ${usedBy.length === 1 ? 'that API' : 'those APIs'} first.`
          : `The certificate "${id}" is used by ${names}. Remove it from ${usedBy.length === 1 ? 'that policy' : 'those policies'} first.`,
        { usedBy },
      );
    }
    draft.certificates.splice(index, 1);
    removedRef = found.secretRef;
    passwordRef = found.link?.passwordRef ?? null;
    return ok({ id });
  });
  if (!result.ok) return result;
  if (removedRef) await ctx.vault.delete(removedRef);
  if (passwordRef) await ctx.vault.delete(passwordRef);
  ctx.events.emit('changes', { kind: 'certificate', action: 'deleted', id });
  return result;
}

/** A stored certificate without its vault reference and private link state. */
export function publicCertificate(c: StoredCertificate): Certificate {
  const { secretRef: _secretRef, link: _link, ...rest } = c;
  return { ...rest, version: c.version ?? 1 };
}

interface Placement {
  readonly id: string;
  readonly existing: StoredCertificate | null;
}

/** A `duplicate` refusal's details: which stored certificate the upload collides with, so the console can name it. */
function duplicateOf(existing: StoredCertificate): { existingId: string; subject: string; thumbprint: string } {
  return { existingId: existing.id, subject: existing.subject, thumbprint: existing.thumbprint };
}

/** Decide where an upload goes: a new id, or (with replace) an existing certificate whose references survive. */
function placeUpload(
  draft: StoreData,
  requestedId: string | undefined,
  replace: boolean,
  thumbprint: string,
  commonName: string,
): Result<Placement> {
  const sameThumbprint = draft.certificates.find((c) => c.thumbprint === thumbprint) ?? null;
  if (requestedId !== undefined) {
    const existing = draft.certificates.find((c) => c.id === requestedId) ?? null;
    if (sameThumbprint && sameThumbprint.id !== requestedId) {
      return fail('duplicate', `This certificate (thumbprint ${thumbprint}) is already uploaded as "${sameThumbprint.id}".`, duplicateOf(sameThumbprint));
    }
    if (!existing) return ok({ id: requestedId, existing: null });
    if (!replace) {
      return fail('duplicate', `A certificate with id "${requestedId}" already exists. Choose another id, or replace it.`, duplicateOf(existing));
    }
    if (existing.thumbprint !== thumbprint) {
      const byThumbprint = (usageIndex(draft).certificates.get(existing.id) ?? []).filter((u) => u.reference === 'thumbprint');
      if (byThumbprint.length > 0) {
        return fail(
          'in-use',
          `The APIs ${byThumbprint.map((u) => `"${u.apiName}"`).join(', ')} refer to "${existing.id}" by thumbprint, which a replacement would break. Switch them to certificate-id first.`,
          { usedBy: byThumbprint },
        );
      }
    }
    return ok({ id: requestedId, existing });
  }
  if (sameThumbprint) {
    if (replace) return ok({ id: sameThumbprint.id, existing: sameThumbprint });
    return fail('duplicate', `This certificate (thumbprint ${thumbprint}) is already uploaded as "${sameThumbprint.id}".`, duplicateOf(sameThumbprint));
  }
  return ok({ id: deriveId(commonName, new Set(draft.certificates.map((c) => c.id)), 'certificate'), existing: null });
}

function decode(data: string): Result<Buffer> {
  // Base64 is 4/3 of the bytes: refuse an oversized file before decoding it.
  if ((data.length * 3) / 4 > MAX_FILE_BYTES + 3) {
    return fail('too-large', `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; certificate files are a few KiB.`);
  }
  return ok(Buffer.from(data, 'base64'));
}
