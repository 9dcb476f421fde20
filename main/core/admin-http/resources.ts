/**
 * The cloud-shaped representations of CertGate's entities (`{ id, type, name, properties }`), their entity
 * tags, and the If-Match / If-None-Match rules. Pure functions over contract values.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Api, type AppError, type CertificateWithUsage, type Policy, type Result } from '../../../preload/contract';

/** The raw-XML policy media type of the cloud service's API. */
export const RAW_POLICY_TYPE = 'application/vnd.ms-azure-apim.policy.raw+xml';

/** A client certificate as a resource; `expirationDate` is the leaf's notAfter. Metadata only, never key material. */
export function certificateResource(c: CertificateWithUsage): unknown {
  const { id, notAfter, ...rest } = c;
  return {
    id: `/certificates/${encodeURIComponent(id)}`,
    type: 'Microsoft.ApiManagement/service/certificates',
    name: id,
    properties: { expirationDate: notAfter, notAfter, ...rest },
  };
}

/** An API as a resource. */
export function apiResource(api: Api): unknown {
  const { id, ...properties } = api;
  return { id: apiPath(id), type: 'Microsoft.ApiManagement/service/apis', name: id, properties };
}

/** The resource type of a policy at each scope, as the cloud service names it. */
const POLICY_TYPES = {
  api: 'Microsoft.ApiManagement/service/apis/policies',
  operation: 'Microsoft.ApiManagement/service/apis/operations/policies',
  global: 'Microsoft.ApiManagement/service/policies',
} as const;

/**
 * A policy as a resource at its scope's path (`/apis/{id}`, `/apis/{id}/operations/{op}`, or '' for the global one).
 * A stored policy that no longer parses (kept as stored) also carries `properties.problem` (message, line, column).
 */
export function policyResource(scopePath: string, policy: Pick<Policy, 'xml' | 'problem'>, scope: keyof typeof POLICY_TYPES = 'api'): unknown {
  const properties = { format: 'rawxml', value: policy.xml, ...(policy.problem ? { problem: policy.problem } : {}) };
  return { id: `${scopePath}/policies/policy`, type: POLICY_TYPES[scope], name: 'policy', properties };
}

/** The path of an API: `/apis/{id}`. */
export function apiPath(apiId: string): string {
  return `/apis/${encodeURIComponent(apiId)}`;
}

/** A strong entity tag over some identifying parts (quoted, as HTTP wants it). */
export function entityTag(...parts: readonly string[]): string {
  return `"${createHash('sha256').update(parts.join('\n'), 'utf8').digest('base64url').slice(0, 27)}"`;
}

/** A certificate's entity tag: it changes whenever the certificate is replaced. */
export function certificateTag(c: CertificateWithUsage): string {
  return entityTag('certificate', c.id, c.thumbprint, c.updatedAt);
}

/** An API's entity tag. */
export function apiTag(api: Api): string {
  return entityTag('api', JSON.stringify(api));
}

/** A policy's entity tag. */
export function policyTag(apiId: string, xml: string): string {
  return entityTag('policy', apiId, xml);
}

/**
 * Check `If-Match` and `If-None-Match` against the entity's current tag (null when it does not exist).
 * `required` makes If-Match mandatory when the entity exists (replacing a certificate).
 */
export function checkPreconditions(req: IncomingMessage, current: string | null, what: string, required = false): AppError | null {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifMatch !== undefined) {
    if (current === null) return { code: 'precondition-failed', message: `${what} does not exist, so If-Match cannot match.` };
    if (!tagListMatches(ifMatch, current)) {
      return { code: 'precondition-failed', message: `${what} has changed since you read it (its ETag is ${current}); read it again.` };
    }
  } else if (required && current !== null) {
    return {
      code: 'precondition-failed',
      message: `${what} already exists. To replace it, send "If-Match: *" or its current ETag (${current}).`,
      details: { etag: current },
    };
  }
  if (ifNoneMatch !== undefined && current !== null && tagListMatches(ifNoneMatch, current)) {
    return { code: 'precondition-failed', message: `${what} already exists ("If-None-Match" matched).`, details: { etag: current } };
  }
  return null;
}

/** True when a GET's If-None-Match names the current tag (answer 304). */
export function notModified(req: IncomingMessage, current: string): boolean {
  const header = req.headers['if-none-match'];
  return header !== undefined && tagListMatches(header, current);
}

function tagListMatches(header: string, current: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === current);
}

/** The `properties` object of a resource body, or a `validation` failure that says what is expected. */
export function propertiesOf(body: unknown, example: string): Result<Record<string, unknown>> {
  if (body === null) return fail('validation', `A JSON body is required, e.g. ${example}.`);
  const properties = isObject(body) ? body['properties'] : undefined;
  if (!isObject(properties)) return fail('validation', `The body needs a "properties" object, e.g. ${example}.`);
  return ok(properties);
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
