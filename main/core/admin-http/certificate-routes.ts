/**
 * `/certificates` and `/certificates/{id}`: the cloud service's client certificate resources, each verb
 * one or two contract operations through `dispatch` (never the services directly).
 */

import { readJsonBody } from './request-body';
import { jsonReply, restFailure, type Reply } from './reply';
import { certificateResource, certificateTag, checkPreconditions, isObject, notModified, propertiesOf } from './resources';
import type { Route, RouteContext } from './router';
import { dispatch } from '../dispatch/dispatch';

const PUT_EXAMPLE = '{"properties":{"data":"<base64 PFX or PEM>","password":"…"}}';
const LINK_EXAMPLE = '{"properties":{"source":{"file":"/etc/certs/client1.pfx"},"password":"…"}}';

/** The certificate routes. */
export function certificateRoutes(): Route[] {
  return [
    { pattern: '/certificates', style: 'rest', methods: { GET: listCertificates } },
    {
      pattern: '/certificates/:id',
      style: 'rest',
      methods: { GET: getCertificate, PUT: putCertificate, DELETE: deleteCertificate },
    },
  ];
}

async function listCertificates(ctx: RouteContext): Promise<Reply> {
  const list = await dispatch(ctx.operations, 'certificates.list', {});
  if (!list.ok) return restFailure(list.error);
  return jsonReply(200, { value: list.value.map(certificateResource), count: list.value.length });
}

async function getCertificate(ctx: RouteContext): Promise<Reply> {
  const found = await dispatch(ctx.operations, 'certificates.get', { id: ctx.params['id'] ?? '' });
  if (!found.ok) return restFailure(found.error);
  const etag = certificateTag(found.value);
  if (notModified(ctx.req, etag)) return { status: 304, headers: { ETag: etag } };
  return jsonReply(200, certificateResource(found.value), { ETag: etag });
}

/** Create (201) or replace (200, If-Match required) a certificate; a replacement keeps every API reference. */
async function putCertificate(ctx: RouteContext): Promise<Reply> {
  const id = ctx.params['id'] ?? '';
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return restFailure(body.error);
  const properties = propertiesOf(body.value, PUT_EXAMPLE);
  if (!properties.ok) return restFailure(properties.error);
  const current = await dispatch(ctx.operations, 'certificates.get', { id });
  if (!current.ok && current.error.code !== 'not-found') return restFailure(current.error);
  const problem = checkPreconditions(ctx.req, current.ok ? certificateTag(current.value) : null, `The certificate "${id}"`, true);
  if (problem) return restFailure(problem);
  if (properties.value['source'] !== undefined) return linkCertificate(ctx, id, properties.value, current.ok);
  // The contract checks every field (and refuses unknown ones); the path decides id and replace.
  // An If-Match with a tag pins the version it matched: a replacement landing meanwhile is refused (412).
  const pinned = current.ok && ctx.req.headers['if-match'] !== undefined && ctx.req.headers['if-match'].trim() !== '*';
  const uploaded = await dispatch(ctx.operations, 'certificates.upload', {
    ...properties.value,
    id,
    replace: current.ok,
    ...(pinned && current.ok ? { expectedUpdatedAt: current.value.updatedAt } : {}),
  }, { signal: ctx.signal });
  if (!uploaded.ok) return restFailure(uploaded.error);
  const stored = await dispatch(ctx.operations, 'certificates.get', { id: uploaded.value.certificate.id });
  if (!stored.ok) return restFailure(stored.error);
  const status = uploaded.value.created ? 201 : 200;
  return jsonReply(status, certificateResource(stored.value), { ETag: certificateTag(stored.value) });
}

/**
 * `{"properties":{"source":{"file":PATH},"password":…}}`: link the certificate to a file on the serving machine
 * (201 new, 200 an existing id, If-Match as for a replacement); the file's renewals then follow by themselves.
 */
async function linkCertificate(ctx: RouteContext, id: string, properties: Record<string, unknown>, exists: boolean): Promise<Reply> {
  const { source, ...rest } = properties;
  const file = isObject(source) && Object.keys(source).length === 1 ? source['file'] : undefined;
  if (typeof file !== 'string') return restFailure({ code: 'validation', message: `"source" is {"file": "<absolute path on the serving machine>"}, e.g. ${LINK_EXAMPLE}.` });
  if ('data' in rest) return restFailure({ code: 'validation', message: 'Send either "data" (an upload) or "source" (a linked file), not both.' });
  const linked = await dispatch(ctx.operations, 'certificates.link', { ...rest, id, file, replace: exists }, { signal: ctx.signal });
  if (!linked.ok) return restFailure(linked.error);
  const stored = await dispatch(ctx.operations, 'certificates.get', { id });
  if (!stored.ok) return restFailure(stored.error);
  return jsonReply(linked.value.created ? 201 : 200, certificateResource(stored.value), { ETag: certificateTag(stored.value) });
}

/** Delete a certificate (204); one that an API still uses is refused with 409 `in-use` listing the APIs. */
async function deleteCertificate(ctx: RouteContext): Promise<Reply> {
  const id = ctx.params['id'] ?? '';
  if (ctx.req.headers['if-match'] !== undefined) {
    const current = await dispatch(ctx.operations, 'certificates.get', { id });
    if (!current.ok && current.error.code !== 'not-found') return restFailure(current.error);
    const problem = checkPreconditions(ctx.req, current.ok ? certificateTag(current.value) : null, `The certificate "${id}"`);
    if (problem) return restFailure(problem);
  }
  const deleted = await dispatch(ctx.operations, 'certificates.delete', { id });
  return deleted.ok ? { status: 204 } : restFailure(deleted.error);
}
