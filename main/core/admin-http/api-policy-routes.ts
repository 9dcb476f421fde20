/**
 * `/apis/{id}/policies/policy` (the policy document, as JSON `rawxml` or as raw XML) and
 * `/apis/{id}/security` (the Security tab's model), through `policies.*` and `security.*`.
 */
import { fail, ok, type Result } from '../../../preload/contract';
import { JSON_TYPE, mediaTypeOf, readJsonBody, readTextBody } from './request-body';
import { jsonReply, restFailure, type Reply } from './reply';
import { apiPath, checkPreconditions, isObject, notModified, policyResource, policyTag, propertiesOf, RAW_POLICY_TYPE } from './resources';
import type { Route, RouteContext } from './router';
import { dispatch } from '../dispatch/dispatch';

const POLICY_EXAMPLE = '{"properties":{"format":"rawxml","value":"<policies>…</policies>"}}';

/** The policy and security routes of an API. */
export function apiPolicyRoutes(): Route[] {
  return [
    { pattern: '/apis/:id/policies/policy', style: 'rest', methods: { GET: getPolicy, PUT: putPolicy } },
    { pattern: '/apis/:id/security', style: 'rest', methods: { GET: getSecurity, PUT: putSecurity } },
  ];
}

/** The policy as `{"properties":{"format":"rawxml","value":…}}`, or raw XML when the Accept header asks for it. */
async function getPolicy(ctx: RouteContext): Promise<Reply> {
  const apiId = ctx.params['id'] ?? '';
  const policy = await dispatch(ctx.operations, 'policies.get', { apiId });
  if (!policy.ok) return restFailure(policy.error);
  const etag = policyTag(apiId, policy.value.xml);
  if (notModified(ctx.req, etag)) return { status: 304, headers: { ETag: etag } };
  if (wantsRawXml(ctx.req.headers.accept)) {
    return { status: 200, headers: { ETag: etag }, body: { text: policy.value.xml, type: `${RAW_POLICY_TYPE}; charset=utf-8` } };
  }
  return jsonReply(200, policyResource(apiPath(apiId), policy.value), { ETag: etag });
}

/** Replace the policy (200); refused with its line and column when it is not valid. */
async function putPolicy(ctx: RouteContext): Promise<Reply> {
  const apiId = ctx.params['id'] ?? '';
  const xml = mediaTypeOf(ctx.req) === RAW_POLICY_TYPE ? await rawXml(ctx) : await jsonXml(ctx);
  if (!xml.ok) return restFailure(xml.error);
  if (ctx.req.headers['if-match'] !== undefined) {
    const current = await dispatch(ctx.operations, 'policies.get', { apiId });
    if (!current.ok) return restFailure(current.error);
    const problem = checkPreconditions(ctx.req, policyTag(apiId, current.value.xml), `The policy of "${apiId}"`);
    if (problem) return restFailure(problem);
  }
  const saved = await dispatch(ctx.operations, 'policies.set', { apiId, xml: xml.value });
  if (!saved.ok) return restFailure(saved.error);
  return jsonReply(200, policyResource(apiPath(apiId), saved.value), { ETag: policyTag(apiId, saved.value.xml) });
}

async function rawXml(ctx: RouteContext): Promise<Result<string>> {
  const text = await readTextBody(ctx.req, [RAW_POLICY_TYPE]);
  if (!text.ok) return text;
  return text.value === null ? fail('validation', 'The policy document is empty.') : ok(text.value);
}

async function jsonXml(ctx: RouteContext): Promise<Result<string>> {
  const body = await readJsonBody(ctx.req, [JSON_TYPE]);
  if (!body.ok) return body;
  const properties = propertiesOf(body.value, POLICY_EXAMPLE);
  if (!properties.ok) return properties;
  const { format, value } = properties.value;
  if (format !== undefined && format !== 'rawxml') {
    return fail('validation', `properties.format must be "rawxml" (the policy XML as is).`, { field: 'properties.format' });
  }
  if (typeof value !== 'string') return fail('validation', 'properties.value must be the policy XML, as a string.', { field: 'properties.value' });
  return ok(value);
}

function wantsRawXml(accept: string | undefined): boolean {
  return accept !== undefined && accept.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === RAW_POLICY_TYPE);
}

/** How the gateway authenticates to the API's back end: `{"type":"none"|"basic"|"certificate",…}`. */
async function getSecurity(ctx: RouteContext): Promise<Reply> {
  const security = await dispatch(ctx.operations, 'security.get', { apiId: ctx.params['id'] ?? '' });
  return security.ok ? jsonReply(200, security.value) : restFailure(security.error);
}

/** Set the back-end credential (rewrites the policy's credential element); the body is the Security input. */
async function putSecurity(ctx: RouteContext): Promise<Reply> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  if (!isObject(body.value)) {
    return restFailure({ code: 'validation', message: 'The body must be a Security object, e.g. {"type":"certificate","certificateId":"client1"}.' });
  }
  const saved = await dispatch(ctx.operations, 'security.set', { apiId: ctx.params['id'] ?? '', security: body.value });
  return saved.ok ? jsonReply(200, saved.value) : restFailure(saved.error);
}
