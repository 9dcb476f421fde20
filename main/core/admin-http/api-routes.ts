/**
 * `/apis` and `/apis/{id}`: APIs as the cloud service shapes them. PUT creates or replaces, PATCH changes
 * the fields it names; both go through the contract's `apis.create` / `apis.update`.
 */
import { importApi } from './operation-routes';
import { ok, type Api, type Result } from '../../../preload/contract';
import { JSON_TYPE, readJsonBody } from './request-body';
import { jsonReply, restFailure, type Reply } from './reply';
import { apiResource, apiTag, checkPreconditions, notModified, propertiesOf } from './resources';
import type { Route, RouteContext } from './router';
import { dispatch, parseInput } from '../dispatch/dispatch';

const PUT_EXAMPLE = '{"properties":{"displayName":"Orders","path":"orders","serviceUrl":"https://backend.example/orders"}}';
const PATCH_EXAMPLE = '{"properties":{"serviceUrl":"https://backend.example/v2"}}';

/** The API routes (policy and security are in api-policy-routes.ts). */
export function apiRoutes(): Route[] {
  return [
    { pattern: '/apis', style: 'rest', methods: { GET: listApis } },
    { pattern: '/apis/:id', style: 'rest', methods: { GET: getApi, PUT: putApi, PATCH: patchApi, DELETE: deleteApi } },
  ];
}

async function listApis(ctx: RouteContext): Promise<Reply> {
  const list = await dispatch(ctx.operations, 'apis.list', {});
  if (!list.ok) return restFailure(list.error);
  return jsonReply(200, { value: list.value.map(apiResource), count: list.value.length });
}

async function getApi(ctx: RouteContext): Promise<Reply> {
  const found = await dispatch(ctx.operations, 'apis.get', { id: ctx.params['id'] ?? '' });
  if (!found.ok) return restFailure(found.error);
  const etag = apiTag(found.value);
  if (notModified(ctx.req, etag)) return { status: 304, headers: { ETag: etag } };
  return jsonReply(200, apiResource(found.value), { ETag: etag });
}

/** Create (201) or replace (200) an API. The body is the whole API: what `apis.create` requires. */
async function putApi(ctx: RouteContext): Promise<Reply> {
  if (ctx.url.searchParams.get('import') === 'true') return importApi(ctx);
  const id = ctx.params['id'] ?? '';
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, PUT_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const input = { ...properties.value, id };
  // A PUT carries the whole entity, replacement or not: check it against the create schema.
  const whole = parseInput('apis.create', input);
  if (!whole.ok) return restFailure(whole.error);
  const current = await currentApi(ctx, id);
  if (!current.ok) return restFailure(current.error);
  const problem = checkPreconditions(ctx.req, current.value ? apiTag(current.value) : null, `The API "${id}"`);
  if (problem) return restFailure(problem);
  const saved = current.value
    ? await dispatch(ctx.operations, 'apis.update', { description: '', ...input })
    : await dispatch(ctx.operations, 'apis.create', input);
  if (!saved.ok) return restFailure(saved.error);
  return jsonReply(current.value ? 200 : 201, apiResource(saved.value), { ETag: apiTag(saved.value) });
}

/** Change the named fields of an API (200). */
async function patchApi(ctx: RouteContext): Promise<Reply> {
  const id = ctx.params['id'] ?? '';
  const body = await readJsonBody(ctx.req, [JSON_TYPE, 'application/merge-patch+json']);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, PATCH_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  if (ctx.req.headers['if-match'] !== undefined) {
    const current = await currentApi(ctx, id);
    if (!current.ok) return restFailure(current.error);
    const problem = checkPreconditions(ctx.req, current.value ? apiTag(current.value) : null, `The API "${id}"`);
    if (problem) return restFailure(problem);
  }
  const saved = await dispatch(ctx.operations, 'apis.update', { ...properties.value, id });
  if (!saved.ok) return restFailure(saved.error);
  return jsonReply(200, apiResource(saved.value), { ETag: apiTag(saved.value) });
}

/** Delete an API (204); its certificates stay. */
async function deleteApi(ctx: RouteContext): Promise<Reply> {
  const id = ctx.params['id'] ?? '';
  if (ctx.req.headers['if-match'] !== undefined) {
    const current = await currentApi(ctx, id);
    if (!current.ok) return restFailure(current.error);
    const problem = checkPreconditions(ctx.req, current.value ? apiTag(current.value) : null, `The API "${id}"`);
    if (problem) return restFailure(problem);
  }
  const deleted = await dispatch(ctx.operations, 'apis.delete', { id });
  return deleted.ok ? { status: 204 } : restFailure(deleted.error);
}

/** The API with this id, null when there is none. */
async function currentApi(ctx: RouteContext, id: string): Promise<Result<Api | null>> {
  const found = await dispatch(ctx.operations, 'apis.get', { id });
  if (found.ok) return found;
  return found.error.code === 'not-found' ? ok(null) : found;
}
