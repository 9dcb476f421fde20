import type { Result } from '../../../preload/contract';
import type { ClientCertificateMaterial, GatewayConfig, RouteConfig } from '../gateway/types';
import { parsePolicy } from '../policy';
import type { StoreData } from '../store/schema';
import type { CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';
import { normaliseThumbprint } from './ids';

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
    const problems: RouteProblem[] = [];
    const liveRefs = new Set<string>();
    for (const api of data.apis) {
      const policy = parsePolicy(api.policyXml);
      if (!policy.ok) {
        problems.push({ apiId: api.id, message: policy.error.message });
        continue;
      }
      const { credential, inboundHeaders, outboundHeaders } = policy.value;
      let clientCertificate: ClientCertificateMaterial | null = null;
      let basicAuth: RouteConfig['basicAuth'] = null;
      if (credential.type === 'certificate') {
        const value = credential.by === 'thumbprint' ? normaliseThumbprint(credential.value) : credential.value;
        const cert = data.certificates.find((c) => (credential.by === 'thumbprint' ? c.thumbprint === value : c.id === value));
        if (!cert) {
          problems.push({ apiId: api.id, message: `The policy refers to a certificate that is not uploaded (${credential.value}).` });
          continue;
        }
        liveRefs.add(cert.secretRef);
        const secret = await this.#secret(cert.secretRef, () => this.#ctx.vault.get(cert.secretRef));
        const material = secret.ok ? certificateSecret(secret.value) : null;
        if (!material) {
          problems.push({ apiId: api.id, message: secret.ok ? `The vault entry of "${cert.id}" is damaged; upload it again.` : secret.error.message });
          continue;
        }
        clientCertificate = { id: cert.id, thumbprint: cert.thumbprint, keyPem: material.keyPem, certPem: material.chainPem };
      } else if (credential.type === 'basic') {
        const named = data.namedValues.find((n) => n.name === credential.passwordNamedValue);
        const password = named ? await this.#secret(named.secretRef, () => this.#ctx.vault.get(named.secretRef)) : null;
        if (!named || !password?.ok) {
          problems.push({ apiId: api.id, message: password && !password.ok ? password.error.message : 'The back-end password is missing.' });
          continue;
        }
        liveRefs.add(named.secretRef);
        basicAuth = { username: credential.username, password: password.value };
      }
      routes.push({
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
    // Forget secrets no route uses any more (deleted or replaced certificates).
    for (const ref of this.#secrets.keys()) if (!liveRefs.has(ref)) this.#secrets.delete(ref);
    return { config: { routes }, problems };
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
