/**
 * One call through the gateway, from the client's request to the end of the answer. It is also the call's
 * undici dispatch handler, so a call costs one object and no closures. The head is held until the first body
 * byte or the end: a back end whose body fails before any byte was sent still gets the client a JSON 502,
 * once bytes have gone out a failure cuts the client connection instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '../../../preload/contract';
import type { ActiveRoute } from './active-routes';
import { applyHeaderActions, copyOutbound } from './headers';
import { onNewConnection, type UpstreamPool } from './upstream-pool';

/** Answers up to this size are sent with their head in a single write. */
const SINGLE_WRITE_LIMIT = 16 * 1024;
/** A reason phrase we relay as it is: visible ASCII and spaces (undici decodes it as UTF-8). */
const PLAIN_REASON = /^[\x20-\x7e\t]*$/;

/** The request as it goes to the back end. */
export interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: string[];
  readonly hasBody: boolean;
}

/** What a call reports to the proxy that owns it. */
export interface CallOwner {
  /** Answer with a JSON error (or cut the answer if it has started). */
  fail(call: Call, status: number, code: ErrorCode, message: string): void;
  /** The back end failed before or during the answer. */
  upstreamFailed(call: Call, err: Error): void;
  /** A discarded answer is over. */
  drained(call: Call): void;
  /** The client's side has closed. */
  finish(call: Call): void;
}

const CALL = Symbol('certgate.call');
type TaggedResponse = ServerResponse & { [CALL]?: Call };

/** Remember the call a response belongs to (for listeners shared by every call). */
export function tagResponse(res: ServerResponse, call: Call): void {
  (res as TaggedResponse)[CALL] = call;
}

/** The call a response belongs to. */
export function callOf(res: ServerResponse): Call | undefined {
  return (res as TaggedResponse)[CALL];
}

function onClientDrain(this: ServerResponse): void {
  callOf(this)?.resumeBackend?.();
}

/** One call through the gateway, from the client's request to the end of the answer. */
export class Call implements Dispatcher.DispatchHandler {
  route: ActiveRoute | null = null;
  /** The API of a call refused without a route (an API not served, see proxy.ts `refusedApi`). */
  apiId: string | null = null;
  /** The pool this call holds (released once when the call is over). */
  pool: UpstreamPool | null = null;
  request: UpstreamRequest | null = null;
  status = 0;
  errorCode: ErrorCode | null = null;
  handshake: 'new' | 'reused' | null = null;
  retried = false;
  /** The back end's head has arrived. */
  responded = false;
  /** The client's head has been written (with the first body bytes, or at the end). */
  headWritten = false;
  /** Held head: reason phrase and headers, until the first body bytes. */
  reason = '';
  headers: string[] | null = null;
  /** Body bytes still expected by Content-Length, or -1 (chunked or until close). */
  remaining = -1;
  /** The back end's answer has ended (complete or failed). */
  settled = false;
  /** The client has gone and the rest of the answer is read into the void. */
  discarding = false;
  done = false;
  abort: ((err?: Error) => void) | null = null;
  resumeBackend: (() => void) | null = null;
  /** Position in the proxy's in-flight list (-1 when not in it). */
  slot = -1;
  /** When the client went away while discarding: the draining deadline (performance.now()). */
  drainDeadline = 0;

  constructor(
    readonly proxy: CallOwner,
    readonly id: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly startedAt: number,
    readonly wallStart: number,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.handshake = onNewConnection() ? 'new' : 'reused';
    // The client left while the call waited for a connection, and has been gone too long.
    if (this.discarding && performance.now() >= this.drainDeadline) abort();
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    this.resumeBackend = resume;
    if (this.discarding) return true;
    const route = this.route as ActiveRoute;
    if (status < 200) {
      this.informational(status, raw);
      return true;
    }
    this.responded = true;
    this.status = status;
    const { headers, contentLength, transferEncoding } = copyOutbound(raw);
    if (transferEncoding !== null && contentLength !== null) {
      // llhttp refuses this already; a message framed two ways is never relayed (RFC 9112 6.3).
      this.proxy.fail(this, 502, 'backend-malformed', 'The back end sent both Content-Length and Transfer-Encoding; the answer was not relayed.');
      this.abort?.();
      return true;
    }
    if (transferEncoding !== null && transferEncoding.trim().toLowerCase() !== 'chunked') {
      // llhttp de-chunks; any other coding (gzip, or chunked after another) would reach the client as if it
      // were the content itself. RFC 9112 6.1 lets a proxy refuse what it does not decode.
      this.proxy.fail(this, 502, 'backend-malformed', `The back end sent Transfer-Encoding: ${transferEncoding}; the gateway relays only chunked transfer coding.`);
      this.abort?.();
      return true;
    }
    if (route.outbound.length > 0) applyHeaderActions(headers, route.outbound);
    headers.push('x-certgate-request-id', this.id);
    const bodiless = status === 204 || status === 304 || this.req.method === 'HEAD';
    // Content-Length is ours to send: the verified one, except where a 204 may have none (RFC 9110 8.6).
    if (contentLength !== null && status !== 204) headers.push('Content-Length', contentLength);
    this.remaining = bodiless ? 0 : contentLength === null ? -1 : Number(contentLength);
    // The reason phrase means nothing (RFC 9112 4): relayed when it is plain text, else node:http's own.
    this.reason = PLAIN_REASON.test(statusText) ? statusText : '';
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.discarding || this.res.destroyed) return true;
    if (!this.headWritten) {
      if (!this.writeHead()) return true;
      if (this.remaining === chunk.length) {
        // The usual small answer, complete: head and body in one write (latin1 keeps every byte).
        this.remaining = 0;
        if (chunk.length <= SINGLE_WRITE_LIMIT) this.res.end(chunk.toString('latin1'), 'latin1');
        else this.res.end(chunk);
        return true;
      }
    }
    if (this.remaining > 0) this.remaining -= chunk.length;
    if (this.res.write(chunk)) return true;
    this.res.once('drain', onClientDrain);
    return false;
  }

  onComplete(): void {
    this.settled = true;
    if (this.discarding) {
      this.proxy.drained(this);
      return;
    }
    if (!this.headWritten && !this.writeHead()) return;
    if (!this.res.writableEnded) this.res.end();
  }

  onError(err: Error): void {
    this.settled = true;
    if (this.discarding) {
      this.proxy.drained(this);
      return;
    }
    if (this.status === 304 && this.responded && !this.headWritten && (err as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      // A 304 may carry the Content-Length of the representation it stands for (RFC 9110 8.6) and never
      // has a body, but undici 7 compares that length with the body it read: the answer is complete.
      this.onComplete();
      return;
    }
    this.proxy.upstreamFailed(this, err);
  }

  onUpgrade(): void {
    // Only WebSocket calls ask for an upgrade; they have their own handler (websocket.ts).
    this.abort?.(new Error('unexpected upgrade'));
  }

  /**
   * A 1xx before the answer. 100 Continue is the gateway's own business with the client (the Expect header
   * is not forwarded); 102 and 103 are forwarded; other 1xx codes have no meaning to relay.
   */
  private informational(status: number, raw: Buffer[]): void {
    if (this.res.headersSent || this.res.destroyed) return;
    if (status === 102) this.res.writeProcessing();
    else if (status === 103) {
      const { headers } = copyOutbound(raw);
      const hints: Record<string, string | string[]> = {};
      for (let i = 0; i < headers.length; i += 2) {
        const name = (headers[i] as string).toLowerCase();
        const value = headers[i + 1] as string;
        const prev = hints[name];
        hints[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
      }
      if (hints.link !== undefined) this.res.writeEarlyHints(hints as { link: string | string[] });
    }
  }

  /** Write the held head. False when node:http refused it (the call has then been answered 502). */
  private writeHead(): boolean {
    this.headWritten = true;
    try {
      this.res.writeHead(this.status, this.reason === '' ? undefined : this.reason, this.headers as string[]);
      return true;
    } catch (err) {
      this.headWritten = false;
      this.abort?.();
      this.proxy.fail(this, 502, 'backend-malformed', `The back end's answer could not be relayed: ${(err as Error).message}`);
      return false;
    }
  }
}
