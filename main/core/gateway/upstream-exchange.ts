/**
 * One request/response exchange on a pooled back-end connection, written straight to the socket (one write
 * for a bodiless request) and read with ResponseParser. Socket listeners are attached once per connection
 * and dispatch to the connection's current exchange, so an exchange costs no listener churn.
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ResponseParser, type ResponseSink } from './response-parser';

/** What an exchange reports to its caller. */
export interface ExchangeHandler {
  onHead(status: number, reason: string, rawHeaders: string[]): void;
  /** A piece of the body (`last`: nothing follows); return false to pause the back end until `Exchange.resume()`. */
  onData(chunk: Buffer, last: boolean): boolean;
  onEnd(): void;
  onError(err: Error): void;
}

/** The request side of an exchange. */
export interface ExchangeRequest {
  readonly method: string;
  readonly path: string;
  /** Raw header pairs, Host included. */
  readonly headers: readonly string[];
  readonly hasBody: boolean;
  /** Send the body with chunked framing (the client sent it chunked). */
  readonly chunked: boolean;
}

/** What a connection needs from its pool. */
export interface ConnOwner {
  /** The exchange is over; `reusable`: the connection may go back to the idle list. */
  exchangeDone(conn: Conn, reusable: boolean, keepAliveTimeoutMs: number | null): void;
  /** The socket has closed. */
  connClosed(conn: Conn): void;
}

function resetError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

const CONN = Symbol('certgate.conn');
type Tagged = Socket & { [CONN]?: Conn };

/** A back-end connection and its state. */
export class Conn {
  current: Exchange | null = null;
  /** Exchanges carried so far (0 while the first is being set up). */
  exchanges = 0;
  secured = false;
  idleTimeoutMs: number;
  /** When the connection last went idle (performance.now()). */
  idleSince = 0;

  constructor(
    readonly socket: Socket,
    private readonly owner: ConnOwner,
    idleTimeoutMs: number,
  ) {
    this.idleTimeoutMs = idleTimeoutMs;
    socket.setNoDelay(true);
    socket.on('data', onConnData);
    socket.on('end', onConnEnd);
    socket.on('error', onConnError);
    socket.on('close', onConnClose);
    socket.on('drain', onConnDrain);
    (socket as Tagged)[CONN] = this;
  }

  exchangeDone(reusable: boolean, keepAliveTimeoutMs: number | null): void {
    this.current = null;
    this.owner.exchangeDone(this, reusable, keepAliveTimeoutMs);
  }

  closed(): void {
    this.owner.connClosed(this);
  }
}

function connOf(socket: Socket): Conn {
  return (socket as Tagged)[CONN] as Conn;
}

function onConnData(this: Socket, chunk: Buffer): void {
  const conn = connOf(this);
  if (conn.current) conn.current.received(chunk);
  else this.destroy(); // bytes on an idle connection: the back end is out of step
}

function onConnEnd(this: Socket): void {
  const conn = connOf(this);
  if (conn.current) conn.current.ended();
  this.destroy();
}

function onConnError(this: Socket, err: Error): void {
  connOf(this).current?.fail(err);
}

function onConnClose(this: Socket): void {
  const conn = connOf(this);
  conn.current?.fail(resetError('socket hang up'));
  conn.closed();
}

function onConnDrain(this: Socket): void {
  connOf(this).current?.bodySource?.resume();
}

/** One request and its response on a connection. */
export class Exchange implements ResponseSink {
  private readonly parser: ResponseParser;
  private finished = false;
  private bodyEnded: boolean;
  /** Set while discarding: called once when the exchange is over, whatever the outcome. */
  private settle: (() => void) | null = null;
  bodySource: Readable | null = null;

  private readonly chunked: boolean;

  constructor(
    readonly conn: Conn,
    /** The connection had carried an exchange before (a keep-alive reuse). */
    readonly reused: boolean,
    private handler: ExchangeHandler,
    private readonly request: ExchangeRequest,
  ) {
    this.parser = new ResponseParser(this, request.method === 'HEAD');
    this.bodyEnded = !request.hasBody;
    this.chunked = request.chunked;
    conn.current = this;
    conn.exchanges++;
  }

  /** Write the request head (one write) and stream the body, if any. */
  start(body: Readable | null): void {
    if (this.finished || this.conn.socket.destroyed) return;
    const { method, path, headers } = this.request;
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i] as string}: ${headers[i + 1] as string}\r\n`;
    this.conn.socket.write(`${head}\r\n`, 'latin1');
    if (body !== null) this.pipeBody(body);
  }

  /** The response head has been delivered. */
  get responseStarted(): boolean {
    return this.parser.started;
  }

  /** Stream a request body (the client's request) to the back end, with back-pressure. */
  private pipeBody(source: Readable): void {
    this.bodySource = source;
    source.on('data', (chunk: Buffer) => {
      if (this.finished && this.parser.done) return;
      const socket = this.conn.socket;
      if (!this.chunked) {
        if (!socket.write(chunk)) source.pause();
        return;
      }
      if (chunk.length === 0) return;
      socket.cork();
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      const ok = socket.write('\r\n', 'latin1');
      socket.uncork();
      if (!ok) source.pause();
    });
    source.on('end', () => {
      this.bodyEnded = true;
      if (this.chunked && !this.finished) this.conn.socket.write('0\r\n\r\n', 'latin1');
    });
  }

  /** Resume reading from the back end after `onData` returned false. */
  resume(): void {
    if (!this.finished) this.conn.socket.resume();
  }

  /** Bytes moved either way on the connection (for the idle-timeout sweep), and whether we paused it. */
  activity(): number {
    const s = this.conn.socket;
    return s.bytesRead + s.bytesWritten;
  }

  /** True while the response is paused for a slow client. */
  get paused(): boolean {
    return this.conn.socket.isPaused();
  }

  /** Cut the exchange (client gone, timeout): the connection is destroyed, the handler hears nothing more. */
  abort(err?: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.detachBody();
    this.conn.current = null;
    this.conn.socket.destroy(err);
    this.settle?.();
  }

  /**
   * The client has gone: read the rest of the answer into the void so the connection can serve the next
   * call instead of costing a new handshake. A request whose body was not sent in full cannot be completed,
   * so its connection is closed. `settled` is called once, when the exchange is over (see also abort()).
   */
  discard(settled: () => void): void {
    if (this.finished) {
      settled();
      return;
    }
    if (!this.bodyEnded) {
      this.abort();
      settled();
      return;
    }
    let once = false;
    this.settle = () => {
      if (once) return;
      once = true;
      settled();
    };
    const done = this.settle;
    this.handler = { onHead: () => undefined, onData: () => true, onEnd: done, onError: done };
    if (this.conn.socket.isPaused()) this.conn.socket.resume();
  }

  /** Bytes from the connection. */
  received(chunk: Buffer): void {
    if (this.finished) return;
    try {
      this.parser.feed(chunk);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /** The back end closed its side. */
  ended(): void {
    if (this.finished) return;
    if (!this.parser.eof()) this.fail(resetError('socket hang up'));
  }

  /** The connection failed: tell the handler once, destroy the connection. */
  fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.detachBody();
    this.conn.current = null;
    this.conn.socket.destroy();
    this.handler.onError(err);
  }

  // ResponseSink ---------------------------------------------------------------------------------------

  head(status: number, reason: string, rawHeaders: string[]): void {
    this.handler.onHead(status, reason, rawHeaders);
  }

  data(chunk: Buffer, last: boolean): boolean {
    if (this.finished) return true;
    const more = this.handler.onData(chunk, last);
    if (!more) this.conn.socket.pause();
    return more;
  }

  end(reusable: boolean): void {
    if (this.finished) return;
    this.finished = true;
    const keep = reusable && this.bodyEnded;
    this.detachBody();
    // The last bytes may have come in the read that asked for back-pressure: never park a paused socket.
    if (this.conn.socket.isPaused()) this.conn.socket.resume();
    this.conn.exchangeDone(keep, this.parser.keepAliveTimeoutMs);
    this.handler.onEnd();
  }

  private detachBody(): void {
    const source = this.bodySource;
    if (source === null) return;
    this.bodySource = null;
    source.removeAllListeners('data');
    source.removeAllListeners('end');
    source.resume();
  }
}
