import { fail, ok, type CaCertificate, type Operations } from '../../../preload/contract';
import { parseCaCertificates } from '../certificates/parse';
import type { StoredCaCertificate } from '../store/schema';
import type { ServiceContext } from './context';
import { deriveId } from './ids';
import { usageIndex } from './usage';

type CaOperations = Pick<Operations, 'caCertificates.list' | 'caCertificates.upload' | 'caCertificates.delete'>;

/** Trusted CA certificates for back-end TLS: public, so kept in the store rather than the vault. */
export function caCertificateOperations(ctx: ServiceContext): CaOperations {
  const withUsage = (c: StoredCaCertificate): CaCertificate => ({
    ...c,
    usedBy: ctx.usage.get(ctx.store.data, ctx.store.revision).caCertificates.get(c.id) ?? [],
  });

  return {
    async 'caCertificates.list'() {
      return ok(ctx.store.data.caCertificates.map(withUsage));
    },

    async 'caCertificates.upload'({ id, pem }) {
      const parsed = parseCaCertificates(pem);
      if (!parsed.ok) return parsed;
      if (parsed.value.length !== 1) {
        return fail('validation', `The file holds ${parsed.value.length} certificates; upload one CA certificate at a time.`);
      }
      const [{ info, pem: certPem }] = parsed.value as [(typeof parsed.value)[number]];
      const stamp = ctx.now().toISOString();
      const result = await ctx.store.update((draft) => {
        const same = draft.caCertificates.find((c) => c.thumbprint === info.thumbprint);
        if (same) return fail('duplicate', `This CA certificate is already uploaded as "${same.id}".`, { existingId: same.id });
        const taken = new Set(draft.caCertificates.map((c) => c.id));
        if (id !== undefined && taken.has(id)) return fail('duplicate', `A CA certificate with id "${id}" already exists.`);
        const stored: StoredCaCertificate = {
          id: id ?? deriveId(info.commonName, taken, 'ca'),
          subject: info.subject,
          commonName: info.commonName,
          issuer: info.issuer,
          thumbprint: info.thumbprint,
          notBefore: info.notBefore,
          notAfter: info.notAfter,
          pem: certPem,
          uploadedAt: stamp,
        };
        draft.caCertificates.push(stored);
        return ok({ ...stored, usedBy: [] });
      });
      if (result.ok) ctx.events.emit('changes', { kind: 'ca-certificate', action: 'created', id: result.value.id });
      return result;
    },

    async 'caCertificates.delete'({ id }) {
      const result = await ctx.store.update((draft) => {
        const index = draft.caCertificates.findIndex((c) => c.id === id);
        if (index < 0) return fail('not-found', `There is no CA certificate with id "${id}".`);
        const usedBy = usageIndex(draft).caCertificates.get(id) ?? [];
        if (usedBy.length > 0) {
          return fail('in-use', `The CA certificate "${id}" is trusted by ${usedBy.map((u) => `"${u.apiName}"`).join(', ')}. Remove it from those APIs first.`, {
            usedBy,
          });
        }
        draft.caCertificates.splice(index, 1);
        return ok({ id });
      });
      if (result.ok) ctx.events.emit('changes', { kind: 'ca-certificate', action: 'deleted', id });
      return result;
    },
  };
}
