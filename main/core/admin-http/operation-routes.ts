/**
 * Operations, their policies, the global policy and the OpenAPI import, in the cloud service's shapes:
 * `/apis/{apiId}/operations[/{operationId}[/policies/policy]]`, `/policies/policy`, `PUT /apis/{apiId}?import=true`.
 */
import type { ApiOperation } from '../../../preload/contract';
import { dispatch } from '../dispatch/dispatch';
import { IMPORT_MAX_BODY_BYTES, JSON_TYPE, readJsonBody } from './request-body';
import { jsonReply, restFailure, type Reply } from './reply';
import { apiPath, policyResource, propertiesOf } from './resources';
import type { Route, RouteContext } from './router';

const OPERATION_EXAMPLE = '{"properties":{"displayName":"Refund","method":"POST","urlTemplate":"/orders/{orderId}/refund"}}';
const POLICY_EXAMPLE = '{"properties":{"format":"rawxml","value":"<policies>…</policies>"}}';
const IMPORT_EXAMPLE = '{"properties":{"format":"openapi+json","value":"{…}","path":"orders"}}';

/** The routes of operations and the global policy. */
export function operationRoutes(): Route[] {
  return [
    { pattern: '/apis/:id/operations', style: 'rest', methods: { GET: listOperations } },
    { pattern: '/apis/:id/operations/:op', style: 'rest', methods: { GET: getOperation, PUT: putOperation, PATCH: patchOperation, DELETE: deleteOperation } },
    { pattern: '/apis/:id/operations/:op/policies/policy', style: 'rest', methods: { GET: getOperationPolicy, PUT: putOperationPolicy } },
    { pattern: '/policies/policy', style: 'rest', methods: { GET: getGlobalPolicy, PUT: putGlobalPolicy } },
  ];
}

/** An operation as a resource. */
function operationResource(op: ApiOperation): unknown {
  const { id, apiId, ...properties } = op;
  return {
    id: operationPath(apiId, id),
    type: 'Microsoft.ApiManagement/service/apis/operations',
    name: id,
    properties,
  };
}

const ids = (ctx: RouteContext) => ({ apiId: ctx.params['id'] ?? '', id: ctx.params['op'] ?? '' });
const operationPath = (apiId: string, id: string) => `${apiPath(apiId)}/operations/${encodeURIComponent(id)}`;

async function listOperations(ctx: RouteContext): Promise<Reply> {
  const list = await dispatch(ctx.operations, 'operations.list', { apiId: ctx.params['id'] ?? '' });
  return list.ok ? jsonReply(200, { value: list.value.map(operationResource), count: list.value.length }) : restFailure(list.error);
}

async function getOperation(ctx: RouteContext): Promise<Reply> {
  const found = await dispatch(ctx.operations, 'operations.get', ids(ctx));
  return found.ok ? jsonReply(200, operationResource(found.value)) : restFailure(found.error);
}

/** Create (201) or replace (200) an operation: the body is the whole operation. */
async function putOperation(ctx: RouteContext): Promise<Reply> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, OPERATION_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const key = ids(ctx);
  const current = await dispatch(ctx.operations, 'operations.get', key);
  const saved = current.ok
    ? await dispatch(ctx.operations, 'operations.update', { description: '', ...properties.value, ...key })
    : await dispatch(ctx.operations, 'operations.create', { ...properties.value, apiId: key.apiId, id: key.id });
  if (!saved.ok) return restFailure(saved.error);
  return jsonReply(current.ok ? 200 : 201, operationResource(saved.value));
}

async function patchOperation(ctx: RouteContext): Promise<Reply> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, OPERATION_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const saved = await dispatch(ctx.operations, 'operations.update', { ...properties.value, ...ids(ctx) });
  return saved.ok ? jsonReply(200, operationResource(saved.value)) : restFailure(saved.error);
}

async function deleteOperation(ctx: RouteContext): Promise<Reply> {
  const done = await dispatch(ctx.operations, 'operations.delete', ids(ctx));
  return done.ok ? { status: 204 } : restFailure(done.error);
}

async function getOperationPolicy(ctx: RouteContext): Promise<Reply> {
  const { apiId, id } = ids(ctx);
  const policy = await dispatch(ctx.operations, 'policies.get', { apiId, operationId: id });
  return policy.ok ? jsonReply(200, policyResource(operationPath(apiId, id), policy.value, 'operation')) : restFailure(policy.error);
}

async function putOperationPolicy(ctx: RouteContext): Promise<Reply> {
  const { apiId, id } = ids(ctx);
  const xml = await policyXml(ctx);
  if (typeof xml !== 'string') return xml;
  const saved = await dispatch(ctx.operations, 'policies.set', { apiId, operationId: id, xml });
  return saved.ok ? jsonReply(200, policyResource(operationPath(apiId, id), saved.value, 'operation')) : restFailure(saved.error);
}

async function getGlobalPolicy(ctx: RouteContext): Promise<Reply> {
  const policy = await dispatch(ctx.operations, 'globalPolicy.get', {});
  return policy.ok ? jsonReply(200, policyResource('', policy.value, 'global')) : restFailure(policy.error);
}

async function putGlobalPolicy(ctx: RouteContext): Promise<Reply> {
  const xml = await policyXml(ctx);
  if (typeof xml !== 'string') return xml;
  const saved = await dispatch(ctx.operations, 'globalPolicy.set', { xml });
  return saved.ok ? jsonReply(200, policyResource('', saved.value, 'global')) : restFailure(saved.error);
}

async function policyXml(ctx: RouteContext): Promise<string | Reply> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, POLICY_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const { format, value } = properties.value;
  if (format !== undefined && format !== 'rawxml') return restFailure({ code: 'validation', message: 'properties.format must be "rawxml".' });
  if (typeof value !== 'string') return restFailure({ code: 'validation', message: 'properties.value must be the policy XML, as a string.' });
  return value;
}

/**
 * `PUT /apis/{apiId}?import=true` with `{"properties":{"format","value","path","serviceUrl"?}}`: create (201) or
 * update (200) the API and its operations from an OpenAPI document; `&preview=true` stores nothing. The one route
 * (with `/_rpc/apis.import`) whose body may reach 32 MiB of document.
 */
export async function importApi(ctx: RouteContext): Promise<Reply> {
  const body = await readJsonBody(ctx.req, [JSON_TYPE], IMPORT_MAX_BODY_BYTES);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, IMPORT_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const preview = ctx.url.searchParams.get('preview') === 'true';
  const result = await dispatch(ctx.operations, 'apis.import', { ...properties.value, id: ctx.params['id'] ?? '', confirm: !preview });
  if (!result.ok) return restFailure(result.error);
  return jsonReply(result.value.apiCreated && !preview ? 201 : 200, result.value);
}
