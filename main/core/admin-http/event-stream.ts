/**
 * Server-sent events: `event: <name>` / `data: <json>` messages, a comment ping every 15 seconds so proxies
 * and idle timers keep the connection, and an end that always releases the subscriptions.
 */
import type { ServerResponse } from 'node:http';
import { API_HEADERS } from './reply';

/** How often an idle stream sends a comment line. */
const PING_INTERVAL_MS = 15_000;

/** A client that reads slower than this many buffered bytes is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** An open event stream. */
export interface EventStream {
  /** Send one event; ignored once the stream is closed. */
  send(event: string, data: unknown): void;
  /** End the stream (idempotent). */
  close(): void;
}

/** The open streams of a server, so that closing the server ends them. */
export type EventStreams = Set<EventStream>;

/**
 * Answer a request with an event stream. `onClose` runs exactly once, when the client goes away or the
 * stream is closed: that is where subscriptions are released.
 */
export function openEventStream(res: ServerResponse, streams: EventStreams, onClose: () => void): EventStream {
  res.writeHead(200, {
    ...API_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');
  let open = true;
  const stream: EventStream = {
    send(event, data) {
      if (!open) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (res.writableLength > MAX_BUFFERED_BYTES) stream.close();
    },
    close() {
      if (!open) return;
      open = false;
      clearInterval(ping);
      streams.delete(stream);
      onClose();
      res.end();
    },
  };
  const ping = setInterval(() => {
    if (open) res.write(': ping\n\n');
  }, PING_INTERVAL_MS);
  ping.unref();
  streams.add(stream);
  // A client that left while the stream was being prepared never fires 'close' again.
  if (res.destroyed || res.socket === null || res.socket.destroyed) stream.close();
  // The response's 'close' fires when the client hangs up (the request's may fire as soon as it is read).
  res.on('close', () => stream.close());
  return stream;
}
