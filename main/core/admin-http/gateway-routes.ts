/**
 * `/gateway` (its status) and `/gateway/traffic` (the recent calls; `?follow=1` keeps the answer open as
 * server-sent events: the recent calls first, then each new one as it finishes).
 */

import { openEventStream } from './event-stream';
import { jsonReply, restFailure, type Reply } from './reply';
import type { Route, RouteContext } from './router';
import { dispatch } from '../dispatch/dispatch';

/** The gateway routes. */
export function gatewayRoutes(): Route[] {
  return [
    { pattern: '/gateway', style: 'rest', methods: { GET: getStatus } },
    { pattern: '/gateway/traffic', style: 'rest', methods: { GET: getTraffic } },
  ];
}

async function getStatus(ctx: RouteContext): Promise<Reply> {
  const status = await dispatch(ctx.operations, 'gateway.status', {});
  return status.ok ? jsonReply(200, status.value) : restFailure(status.error);
}

async function getTraffic(ctx: RouteContext): Promise<Reply | null> {
  const limitParam = ctx.url.searchParams.get('limit');
  const input = limitParam === null ? {} : { limit: Number(limitParam) };
  const follow = ['1', 'true'].includes(ctx.url.searchParams.get('follow') ?? '');
  if (!follow) {
    const traffic = await dispatch(ctx.operations, 'gateway.traffic', input);
    return traffic.ok ? jsonReply(200, { value: traffic.value, count: traffic.value.length }) : restFailure(traffic.error);
  }
  // Subscribe before reading the backlog, holding new entries back until it is sent: none is lost or doubled.
  const pending: unknown[] = [];
  let live: ((entry: unknown) => void) | null = null;
  const unsubscribe = ctx.subscribe('traffic', (entry) => (live ? live(entry) : pending.push(entry)));
  const backlog = await dispatch(ctx.operations, 'gateway.traffic', input);
  if (!backlog.ok) {
    unsubscribe();
    return restFailure(backlog.error);
  }
  const stream = openEventStream(ctx.res, ctx.streams, unsubscribe);
  const seen = new Set(backlog.value.map((e) => e.requestId));
  for (const entry of backlog.value) stream.send('traffic', entry);
  for (const entry of pending) if (!seen.has((entry as { requestId: string }).requestId)) stream.send('traffic', entry);
  live = (entry) => stream.send('traffic', entry);
  return null;
}
