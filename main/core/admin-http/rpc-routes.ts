/**
 * The console's and the CLI's transport: `POST /_rpc/{operation}` (the input as JSON, the Result as the
 * answer) and `GET /_events` (every subscription channel as server-sent events).
 */
import { fail, operationNames, type OperationName } from '../../../preload/contract';
import { openEventStream } from './event-stream';
import { IMPORT_MAX_BODY_BYTES, JSON_TYPE, readJsonBody } from './request-body';
import { rpcReply, type Reply } from './reply';
import type { Route, RouteContext } from './router';
import { dispatch } from '../dispatch/dispatch';

const known: ReadonlySet<string> = new Set(operationNames);

/** The RPC and event routes. */
export function rpcRoutes(): Route[] {
  return [
    { pattern: '/_rpc/:name', style: 'rpc', methods: { POST: callOperation } },
    { pattern: '/_events', style: 'rest', methods: { GET: streamEvents } },
  ];
}

/** Run one operation; 200 with `{ok:true,value}`, or the error code's status with `{ok:false,error}`. */
async function callOperation(ctx: RouteContext): Promise<Reply> {
  const name = ctx.params['name'] ?? '';
  if (!known.has(name)) return rpcReply(fail('not-found', `There is no operation named "${name}".`));
  // Only the OpenAPI import takes large documents; every other operation keeps the usual limit.
  const body = await readJsonBody(ctx.req, [JSON_TYPE], name === 'apis.import' ? IMPORT_MAX_BODY_BYTES : undefined);
  if (!body.ok) return rpcReply(body);
  return rpcReply(await dispatch(ctx.operations, name as OperationName, body.value, { signal: ctx.signal }));
}

/** Stream `changes` and `traffic` events until the client goes away. */
async function streamEvents(ctx: RouteContext): Promise<null> {
  const unsubscribers = [
    ctx.subscribe('changes', (event) => stream.send('changes', event)),
    ctx.subscribe('traffic', (entry) => stream.send('traffic', entry)),
  ];
  const stream = openEventStream(ctx.res, ctx.streams, () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  });
  return null;
}
