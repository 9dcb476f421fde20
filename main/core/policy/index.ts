/**
 * Policies: pure functions over policy XML (no store, no files, no network). Parse and validate a document
 * into what the gateway does, write the Security tab's credential into it, and list what it refers to.
 */
export { DEFAULT_GLOBAL_POLICY_XML, DEFAULT_POLICY_XML } from './default-policy';
export { composePolicies, type ComposedPolicy, type ScopedPolicy } from './compose';
export { parsePolicy, parsePolicySections, type PolicySections } from './parse-policy';
export { setCredential } from './set-credential';
export { certificateReferences, namedValueReferences } from './references';
export type { CertificateReference, Credential, PolicyContext, PolicyEffect } from './types';
export type { HeaderAction } from '../gateway/types';
