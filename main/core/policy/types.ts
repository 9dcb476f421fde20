/**
 * What a policy document means to the gateway: the credential it presents to the back end and the headers
 * it sets. The XML is the source of truth; these values are read from it.
 */
import type { HeaderAction } from '../gateway/types';

/** How the gateway authenticates to the back end (one credential element per policy at most). */
export type Credential =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly username: string; readonly passwordNamedValue: string }
  | { readonly type: 'certificate'; readonly by: 'certificate-id' | 'thumbprint'; readonly value: string };

/** What a valid policy does. */
export interface PolicyEffect {
  readonly credential: Credential;
  /** `set-header` in inbound, then in backend: applied, in order, to the request sent to the back end. */
  readonly inboundHeaders: readonly HeaderAction[];
  /** `set-header` in outbound: applied, in order, to the response. */
  readonly outboundHeaders: readonly HeaderAction[];
}

/** Lets validation check references against what exists (certificates, named values). */
export interface PolicyContext {
  hasCertificateId(id: string): boolean;
  /** Called with the thumbprint upper-case, without separators. */
  hasCertificateThumbprint(thumbprint: string): boolean;
  hasNamedValue(name: string): boolean;
}

/** A certificate reference found in a policy (thumbprints upper-case, without separators). */
export interface CertificateReference {
  readonly by: 'certificate-id' | 'thumbprint';
  readonly value: string;
}
