/**
 * Reading the store (and, for exports with keys, the vault) into the export model. Without keys no private
 * key or password is ever read: only the certificates' public chains, which live in the vault next to
 * their keys (the store has metadata only), and the key is dropped as soon as the entry is parsed.
 */
import { ok, type Result } from '../../../preload/contract';
import { prepareHeaderActions } from '../gateway/headers';
import type { HeaderAction, RouteConfig } from '../gateway/types';
import { parsePolicy } from '../policy';
import type { StoredApi, StoredCertificate } from '../store/schema';
import type { CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import type { GatewayConfigBuilder } from './gateway-config';
import { normaliseThumbprint } from './ids';
import type { ExportApi, ExportCa, ExportCertificate, ExportCredential, ExportModel } from '../export/types';

/** The model and what could not be exported as it is. */
export interface LoadedModel {
  readonly model: ExportModel;
  readonly warnings: readonly string[];
}

/** Errors that stop an export with keys: the vault or the store cannot be read at all. */
const FATAL = new Set(['keychain-unavailable', 'store-corrupt']);

/** Read every API and what it uses; an API that cannot be exported is left out with a warning. */
export async function loadExportModel(ctx: ServiceContext, routes: GatewayConfigBuilder, withKeys: boolean): Promise<Result<LoadedModel>> {
  const data = ctx.store.data;
  const warnings: string[] = [];
  const apis: ExportApi[] = [];
  const certificates = new Map<string, ExportCertificate>();
  const caCertificates = new Map<string, ExportCa>();
  let chainProblem: string | null = null;

  for (const api of data.apis) {
    const policy = parsePolicy(api.policyXml);
    if (!policy.ok) {
      warnings.push(`The API "${api.id}" is left out: its policy is not valid (${policy.error.message}).`);
      continue;
    }
    const credential = policy.value.credential;
    let route: RouteConfig | null = null;
    if (withKeys && credential.type !== 'none') {
      const resolved = await routes.route(api.id);
      if (!resolved.ok) {
        if (FATAL.has(resolved.error.code)) return resolved;
        warnings.push(`The API "${api.id}" is left out: ${resolved.error.message}`);
        continue;
      }
      route = resolved.value;
    }
    let exported: ExportCredential = { type: 'none' };
    if (credential.type === 'certificate') {
      const cert = data.certificates.find((c) =>
        credential.by === 'thumbprint' ? c.thumbprint === normaliseThumbprint(credential.value) : c.id === credential.value,
      );
      if (!cert) {
        warnings.push(`The API "${api.id}" is left out: its policy refers to the certificate "${credential.value}", which is not uploaded.`);
        continue;
      }
      if (!certificates.has(cert.id)) {
        const material = route?.clientCertificate ?? null;
        let chainPem = material?.certPem ?? null;
        // After one failure (no keychain), do not ask again for every certificate.
        if (!withKeys && chainProblem === null) {
          const chain = await readChain(ctx, cert);
          if (chain.ok) chainPem = chain.value;
          else chainProblem ??= chain.error.message;
        }
        certificates.set(cert.id, {
          id: cert.id,
          subject: cert.subject,
          thumbprint: cert.thumbprint,
          keyType: cert.keyType,
          chainPem,
          keyPem: material?.keyPem ?? null,
        });
      }
      exported = { type: 'certificate', certificateId: cert.id };
    } else if (credential.type === 'basic') {
      exported = {
        type: 'basic',
        username: credential.username,
        namedValue: credential.passwordNamedValue,
        password: route?.basicAuth?.password ?? null,
      };
    }
    apis.push(exportApi(api, exported, trustedCas(api, data.caCertificates, caCertificates, warnings), policy.value));
  }
  if (chainProblem !== null) {
    warnings.push(
      `The certificates' public chains could not be read from the vault (${chainProblem}): their certificate files are listed for you to supply.`,
    );
  }
  return ok({ model: { withKeys, apis, certificates, caCertificates, now: ctx.now() }, warnings });
}

function exportApi(
  api: StoredApi,
  credential: ExportCredential,
  caIds: readonly string[],
  effect: { readonly inboundHeaders: readonly HeaderAction[]; readonly outboundHeaders: readonly HeaderAction[] },
): ExportApi {
  return {
    id: api.id,
    displayName: api.displayName,
    description: api.description,
    path: api.path,
    serviceUrl: api.serviceUrl,
    validateCertificateChain: api.backendTls.validateCertificateChain,
    validateCertificateName: api.backendTls.validateCertificateName,
    caIds,
    credential,
    inboundHeaders: plainActions(effect.inboundHeaders),
    outboundHeaders: plainActions(effect.outboundHeaders),
    policyXml: api.policyXml,
  };
}

/** The gateway's own clean-up of header statements (no framing headers, no values Node would refuse). */
function plainActions(actions: readonly HeaderAction[]): HeaderAction[] {
  return prepareHeaderActions(actions).map(({ name, existsAction, values }) => ({ name, existsAction, values }));
}

function trustedCas(
  api: StoredApi,
  stored: readonly { readonly id: string; readonly subject: string; readonly pem: string; readonly notAfter: string }[],
  into: Map<string, ExportCa>,
  warnings: string[],
): string[] {
  const ids: string[] = [];
  for (const id of api.backendTls.trustedCaCertificateIds) {
    const ca = stored.find((c) => c.id === id);
    if (!ca) {
      warnings.push(`The API "${api.id}" trusts the CA certificate "${id}", which is not uploaded: it is left out.`);
      continue;
    }
    into.set(ca.id, { id: ca.id, subject: ca.subject, pem: ca.pem, notAfter: ca.notAfter });
    ids.push(ca.id);
  }
  return ids;
}

/** A certificate's public chain from its vault entry; the key in the same entry is not kept. */
async function readChain(ctx: ServiceContext, cert: StoredCertificate): Promise<Result<string>> {
  const entry = await ctx.vault.get(cert.secretRef);
  if (!entry.ok) return entry;
  try {
    const { chainPem } = JSON.parse(entry.value) as Partial<CertificateSecret>;
    if (typeof chainPem === 'string') return ok(chainPem);
  } catch {
    // Reported below as a damaged entry.
  }
  return { ok: false, error: { code: 'store-corrupt', message: `the vault entry of "${cert.id}" is damaged` } };
}
