/**
 * Reading the store (and, for exports with keys, the vault) into the export model. Without keys no private
 * key or password is ever read: only the certificates' public chains, which live in the vault next to
 * their keys (the store has metadata only), and the key is dropped as soon as the entry is parsed.
 */
import { ok, type Result } from '../../../preload/contract';
import { prepareHeaderActions } from '../gateway/headers';
import type { HeaderAction, RouteConfig } from '../gateway/types';
import { DEFAULT_GLOBAL_POLICY_XML, type Credential, type PolicyEffect } from '../policy';
import type { StoredApi, StoredCertificate, StoredOperation } from '../store/schema';
import type { CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import type { GatewayConfigBuilder } from './gateway-config';
import { normaliseThumbprint } from './ids';
import type { ExportApi, ExportCa, ExportCertificate, ExportCredential, ExportModel, ExportOperation } from '../export/types';
import { composedPolicy, globalPolicyXml, operationsOf } from './scopes';

/** The model and what could not be exported as it is. */
export interface LoadedModel {
  readonly model: ExportModel;
  readonly warnings: readonly string[];
}

/** Errors that stop an export with keys: the vault or the store cannot be read at all. */
const FATAL = new Set(['keychain-unavailable', 'store-corrupt']);

/** What loading gathers across APIs. */
interface Loading {
  readonly ctx: ServiceContext;
  readonly withKeys: boolean;
  readonly warnings: string[];
  readonly certificates: Map<string, ExportCertificate>;
  readonly caCertificates: Map<string, ExportCa>;
  /** Why the vault could not give the public chains (asked once). */
  chainProblem: string | null;
}

/** The credential and headers of one scope's composed policy, with the gateway's material when keys are exported. */
type Material = Pick<RouteConfig, 'clientCertificate' | 'basicAuth'> | null;

/** Read every API and what it uses; an API that cannot be exported is left out with a warning. */
export async function loadExportModel(ctx: ServiceContext, routes: GatewayConfigBuilder, withKeys: boolean): Promise<Result<LoadedModel>> {
  const data = ctx.store.data;
  const state: Loading = { ctx, withKeys, warnings: [], certificates: new Map(), caCertificates: new Map(), chainProblem: null };
  const apis: ExportApi[] = [];
  for (const api of data.apis) {
    const loaded = await loadApi(state, routes, api);
    if (!loaded.ok) return loaded;
    if (loaded.value !== null) apis.push(loaded.value);
  }
  if (state.chainProblem !== null) {
    state.warnings.push(
      `The certificates' public chains could not be read from the vault (${state.chainProblem}): their certificate files are listed for you to supply.`,
    );
  }
  const globalXml = globalPolicyXml(data);
  const globalPolicy = globalXml === DEFAULT_GLOBAL_POLICY_XML ? null : globalXml;
  return ok({ model: { withKeys, apis, certificates: state.certificates, caCertificates: state.caCertificates, globalPolicyXml: globalPolicy, now: ctx.now() }, warnings: state.warnings });
}

/** One API and its operations, or null (with a warning) when it cannot be exported; a failure only when the vault cannot be read. */
async function loadApi(state: Loading, routes: GatewayConfigBuilder, api: StoredApi): Promise<Result<ExportApi | null>> {
  const data = state.ctx.store.data;
  const skip = (why: string): Result<null> => {
    state.warnings.push(`The API "${api.id}" is left out: ${why}`);
    return ok(null);
  };
  const scopes = [null, ...operationsOf(api)];
  const composed = scopes.map((op) => composedPolicy(data, api, op));
  const invalid = composed.find((c) => !c.ok);
  if (invalid && !invalid.ok) return skip(`its policy is not valid (${invalid.error.message}).`);
  const effects = composed.map((c) => (c.ok ? c.value.effect : null)).filter((e): e is PolicyEffect => e !== null);
  let route: RouteConfig | null = null;
  if (state.withKeys && effects.some((e) => e.credential.type !== 'none')) {
    const resolved = await routes.route(api.id);
    if (!resolved.ok) return FATAL.has(resolved.error.code) ? resolved : skip(resolved.error.message);
    route = resolved.value;
  }
  const credentials: ExportCredential[] = [];
  for (const [i, effect] of effects.entries()) {
    const op = scopes[i] ?? null;
    const material = op === null ? route : (route?.operations?.find((o) => o.operationId === op.id) ?? null);
    const credential = await exportCredential(state, effect.credential, material);
    if (typeof credential === 'string') return skip(`${op ? `its operation "${op.id}" refers` : 'its policy refers'} to the certificate "${credential}", which is not uploaded.`);
    credentials.push(credential);
  }
  const operations = operationsOf(api).map((op, i) => exportOperation(op, credentials[i + 1] ?? { type: 'none' }, effects[i + 1] ?? effects[0]!));
  const caIds = trustedCas(api, data.caCertificates, state.caCertificates, state.warnings);
  return ok(exportApi(api, credentials[0] ?? { type: 'none' }, caIds, effects[0]!, operations));
}

/** A composed credential for export (the certificate noted once, with its public chain); the missing certificate's reference when it is not uploaded. */
async function exportCredential(state: Loading, credential: Credential, material: Material): Promise<ExportCredential | string> {
  if (credential.type === 'none') return { type: 'none' };
  if (credential.type === 'basic') {
    return { type: 'basic', username: credential.username, namedValue: credential.passwordNamedValue, password: material?.basicAuth?.password ?? null };
  }
  const cert = state.ctx.store.data.certificates.find((c) =>
    credential.by === 'thumbprint' ? c.thumbprint === normaliseThumbprint(credential.value) : c.id === credential.value,
  );
  if (!cert) return credential.value;
  if (!state.certificates.has(cert.id)) {
    const own = material?.clientCertificate ?? null;
    let chainPem = own?.certPem ?? null;
    // After one failure (no keychain), do not ask again for every certificate.
    if (!state.withKeys && state.chainProblem === null) {
      const chain = await readChain(state.ctx, cert);
      if (chain.ok) chainPem = chain.value;
      else state.chainProblem ??= chain.error.message;
    }
    state.certificates.set(cert.id, { id: cert.id, subject: cert.subject, thumbprint: cert.thumbprint, keyType: cert.keyType, chainPem, keyPem: own?.keyPem ?? null });
  }
  return { type: 'certificate', certificateId: cert.id };
}

function exportOperation(op: StoredOperation, credential: ExportCredential, effect: PolicyEffect): ExportOperation {
  return {
    id: op.id,
    displayName: op.displayName,
    method: op.method,
    urlTemplate: op.urlTemplate,
    description: op.description,
    credential,
    inboundHeaders: plainActions(effect.inboundHeaders),
    outboundHeaders: plainActions(effect.outboundHeaders),
    policyXml: op.policyXml,
  };
}

function exportApi(
  api: StoredApi,
  credential: ExportCredential,
  caIds: readonly string[],
  effect: { readonly inboundHeaders: readonly HeaderAction[]; readonly outboundHeaders: readonly HeaderAction[] },
  operations: readonly ExportOperation[],
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
    operations,
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
