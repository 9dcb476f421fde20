import { fail, ok, type Result } from '../../../preload/contract';
import type { ClientCertificateMaterial, GatewayConfig, OperationRouteConfig, RouteConfig, RouteRefusal } from '../gateway/types';
import type { PolicyEffect } from '../policy';
import type { StoredApi, StoreData } from '../store/schema';
import type { CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import { normaliseThumbprint } from './ids';
import { composedPolicy, operationsOf } from './scopes';

/** A route that could not be built, and why (shown in the gateway's status). */
export interface RouteProblem {
  readonly apiId: string;
  readonly message: string;
}

/**
 * Resolves the store into the gateway's configuration: each API's policy evaluated, its certificate's key
 * and chain read from the vault (decrypted once per vault entry, then cached), CA PEMs looked up.
 */
export class GatewayConfigBuilder {
  readonly #ctx: ServiceContext;
  readonly #secrets = new Map<string, Promise<Result<string>>>();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** Build the configuration for the store's current data. */
  async build(): Promise<{ readonly config: GatewayConfig; readonly problems: readonly RouteProblem[] }> {
    const data = this.#ctx.store.data;
    const routes: RouteConfig[] = [];
    const refusals: RouteRefusal[] = [];
    const problems: RouteProblem[] = [];
    const liveRefs = new Set<string>();
    for (const api of data.apis) {
      const route = await this.#route(api, data, liveRefs, null);
      if (route.ok) routes.push(route.value);
      else problems.push({ apiId: api.id, message: route.error.message });
      // Its calls are answered with the problem rather than as if the API did not exist.
      const refusal = route.ok ? null : refusalOf(api, route.error);
      if (refusal) refusals.push(refusal);
    }
    // Forget secrets no route uses any more (deleted or replaced certificates).
    for (const ref of this.#secrets.keys()) if (!liveRefs.has(ref)) this.#secrets.delete(ref);
    return { config: refusals.length > 0 ? { routes, refusals } : { routes }, problems };
  }

  /**
   * One API's route as the gateway would run it, optionally presenting another stored certificate
   * instead of the policy's (a rotation's preflight, a diagnosis with a chosen certificate). With
   * `operationId`, that operation's route: its composed policy (All APIs, the API, the operation).
   */
  async route(
    apiId: string,
    options: { readonly certificateId?: string; readonly material?: ClientCertificateMaterial; readonly operationId?: string } = {},
  ): Promise<Result<RouteConfig>> {
    const data = this.#ctx.store.data;
    const api = data.apis.find((a) => a.id === apiId);
    if (!api) return fail('not-found', `There is no API with id "${apiId}".`);
    const { operationId } = options;
    if (operationId !== undefined && !operationsOf(api).some((op) => op.id === operationId)) {
      return fail('not-found', `The API "${apiId}" has no operation "${operationId}".`);
    }
    const built = await this.#route(api, data, new Set(), options.material ? null : (options.certificateId ?? null));
    const route = built.ok && operationId !== undefined ? ok(operationRoute(built.value, operationId)) : built;
    // A linked file's renewal is checked before it is stored: its material stands in for the policy's certificate.
    return route.ok && options.material ? ok({ ...route.value, clientCertificate: options.material, basicAuth: null }) : route;
  }

  async #route(api: StoredApi, data: Readonly<StoreData>, liveRefs: Set<string>, certificateOverride: string | null): Promise<Result<RouteConfig>> {
    const policy = composedPolicy(data, api, null);
    if (!policy.ok) return policy;
    const route = await this.#resolve(api, policy.value.effect, data, liveRefs, certificateOverride);
    if (!route.ok) return route;
    const operations: OperationRouteConfig[] = [];
    for (const op of operationsOf(api)) {
      const composed = composedPolicy(data, api, op);
      if (!composed.ok) return fail(composed.error.code, `Operation "${op.id}": ${composed.error.message}`, composed.error.details);
      const resolved = await this.#resolve(api, composed.value.effect, data, liveRefs, certificateOverride);
      if (!resolved.ok) return fail(resolved.error.code, `Operation "${op.id}": ${resolved.error.message}`, resolved.error.details);
      operations.push({ ...resolved.value, operationId: op.id, method: op.method, urlTemplate: op.urlTemplate });
    }
    return ok(operations.length === 0 ? route.value : { ...route.value, operations });
  }

  /** A route for one composed policy: its certificate's key and chain, or its Basic credentials, and its headers. */
  async #resolve(
    api: StoredApi,
    effect: PolicyEffect,
    data: Readonly<StoreData>,
    liveRefs: Set<string>,
    certificateOverride: string | null,
  ): Promise<Result<RouteConfig>> {
    const { credential, inboundHeaders, outboundHeaders } = effect;
    let clientCertificate: ClientCertificateMaterial | null = null;
    let basicAuth: RouteConfig['basicAuth'] = null;
    if (certificateOverride !== null || credential.type === 'certificate') {
      const cert =
        certificateOverride !== null
          ? data.certificates.find((c) => c.id === certificateOverride)
          : credential.type === 'certificate'
            ? data.certificates.find((c) =>
                credential.by === 'thumbprint' ? c.thumbprint === normaliseThumbprint(credential.value) : c.id === credential.value,
              )
            : undefined;
      if (!cert) return fail('not-found', `The certificate "${certificateOverride ?? (credential.type === 'certificate' ? credential.value : '')}" is not uploaded.`);
      liveRefs.add(cert.secretRef);
      const secret = await this.#secret(cert.secretRef, () => this.#ctx.vault.get(cert.secretRef));
      if (!secret.ok) return secret;
      const material = certificateSecret(secret.value);
      if (!material) return fail('store-corrupt', `The vault entry of "${cert.id}" is damaged; upload it again.`);
      clientCertificate = { id: cert.id, thumbprint: cert.thumbprint, version: cert.version ?? 1, keyPem: material.keyPem, certPem: material.chainPem };
    } else if (credential.type === 'basic') {
      const named = data.namedValues.find((n) => n.name === credential.passwordNamedValue);
      if (!named) return fail('not-found', 'The back-end password is missing.');
      const password = await this.#secret(named.secretRef, () => this.#ctx.vault.get(named.secretRef));
      if (!password.ok) return password;
      liveRefs.add(named.secretRef);
      basicAuth = { username: credential.username, password: password.value };
    }
    return ok({
      apiId: api.id,
      path: api.path,
      serviceUrl: api.serviceUrl,
      tls: {
        validateCertificateChain: api.backendTls.validateCertificateChain,
        validateCertificateName: api.backendTls.validateCertificateName,
        caPems: caPems(data, api.backendTls.trustedCaCertificateIds),
      },
      clientCertificate,
      basicAuth,
      inboundHeaders,
      outboundHeaders,
    });
  }

  #secret(ref: string, load: () => Promise<Result<string>>): Promise<Result<string>> {
    let cached = this.#secrets.get(ref);
    if (!cached) {
      cached = load();
      this.#secrets.set(ref, cached);
      void cached.then((r) => {
        if (!r.ok) this.#secrets.delete(ref);
      });
    }
    return cached;
  }
}

/**
 * How the gateway answers the calls of an API it cannot serve, when the reason is one the operator can fix
 * (other failures, such as a certificate not uploaded, are refused at save and only listed in the status).
 */
function refusalOf(api: StoredApi, error: { readonly code: string; readonly message: string }): RouteRefusal | null {
  const base = { apiId: api.id, path: api.path };
  switch (error.code) {
    case 'policy-invalid':
      return { ...base, code: 'policy-invalid', status: 500, message: `The API "${api.id}" is not served: ${error.message} Fix the policy and save it (the Policies tab, or certgate policy set).` };
    case 'passphrase-required':
      return {
        ...base,
        code: 'passphrase-required',
        status: 503,
        message: `The API "${api.id}" is not served while the vault is locked: its credentials are encrypted under the vault passphrase. Unlock the vault in the console (or start with CERTGATE_VAULT_PASSPHRASE_FILE).`,
      };
    case 'keychain-unavailable':
      return { ...base, code: 'keychain-unavailable', status: 503, message: `The API "${api.id}" is not served: ${error.message}` };
    default:
      return null;
  }
}

/** The route one operation's calls run: its own credential and headers, without the API's operation table. */
function operationRoute(route: RouteConfig, operationId: string): RouteConfig {
  const op = route.operations?.find((o) => o.operationId === operationId);
  if (!op) return route;
  const { operationId: _id, method: _method, urlTemplate: _template, ...own } = op;
  return own;
}

function certificateSecret(json: string): CertificateSecret | null {
  try {
    const value = JSON.parse(json) as Partial<CertificateSecret>;
    return typeof value.keyPem === 'string' && typeof value.chainPem === 'string' ? { keyPem: value.keyPem, chainPem: value.chainPem } : null;
  } catch {
    return null;
  }
}

function caPems(data: Readonly<StoreData>, ids: readonly string[]): string[] {
  return ids.flatMap((id) => data.caCertificates.filter((c) => c.id === id).map((c) => c.pem));
}
