/**
 * An incremental HTTP/1.1 response parser for the gateway's back-end connections: status line, headers,
 * and the body framed by Content-Length, chunked encoding or the end of the connection (RFC 9112).
 * Bytes go in as they arrive; the head, body pieces and the end come out through a sink.
 */

/** Where parsed pieces go. `data` returns false to ask for back-pressure (the caller pauses the socket). */
export interface ResponseSink {
  head(status: number, reason: string, rawHeaders: string[]): void;
  /** `last`: no body byte follows (a Content-Length body is complete), so the answer can end with it. */
  data(chunk: Buffer, last: boolean): boolean;
  /** The response is complete; `reusable`: the connection may carry another exchange. */
  end(reusable: boolean): void;
}

/** Thrown (as the error of the exchange) when the back end's bytes are not a valid HTTP/1.1 response. */
export const BAD_RESPONSE_CODE = 'CERTGATE_BAD_RESPONSE';

const MAX_HEAD = 64 * 1024;
const MAX_LINE = 4096;
const CRLF = 0x0a0d; // "\r\n" read little-endian
const CRLFCRLF = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_DIGITS = /^[1-9]\d\d$/;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done,
}

function badResponse(message: string): Error {
  return Object.assign(new Error(`The back end's answer is not valid HTTP/1.1: ${message}`), { code: BAD_RESPONSE_CODE });
}

/** Parses one response (skipping 1xx interim responses). Create one per exchange. */
export class ResponseParser {
  private state = State.Head;
  private pending: Buffer | null = null;
  private remaining = 0;
  private reusable = true;
  private signalled = false;
  /** The back end's `Keep-Alive: timeout=N` hint, in ms, when it sent one. */
  keepAliveTimeoutMs: number | null = null;

  constructor(
    private readonly sink: ResponseSink,
    /** A HEAD request's answer has no body whatever its headers say. */
    private readonly headRequest: boolean,
  ) {}

  /** True once the response is complete. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** True while the body runs until the connection closes. */
  get readsUntilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /** True once the head has been delivered. */
  get started(): boolean {
    return this.state !== State.Head;
  }

  /** Feed bytes from the connection. Throws a BAD_RESPONSE_CODE error on invalid input. */
  feed(input: Buffer): void {
    this.consume(input);
    if (this.state === State.Done && !this.signalled) {
      this.signalled = true;
      this.sink.end(this.reusable);
    }
  }

  private consume(input: Buffer): void {
    const buf = this.pending === null ? input : Buffer.concat([this.pending, input]);
    this.pending = null;
    const len = buf.length;
    // An offset instead of slicing at every step: a Buffer view is only made for body pieces.
    let pos = 0;
    while (pos < len) {
      switch (this.state) {
        case State.Head: {
          const idx = buf.indexOf(CRLFCRLF, pos);
          if (idx === -1) {
            if (len - pos > MAX_HEAD) throw badResponse('the header section is too large');
            this.pending = buf.subarray(pos);
            return;
          }
          this.parseHead(buf.toString('latin1', pos, idx));
          pos = idx + 4;
          break;
        }
        case State.Length:
        case State.ChunkData: {
          const n = Math.min(this.remaining, len - pos);
          this.remaining -= n;
          const piece = pos === 0 && n === len ? buf : buf.subarray(pos, pos + n);
          pos += n;
          if (this.remaining === 0) this.state = this.state === State.Length ? State.Done : State.ChunkEnd;
          this.sink.data(piece, this.state === State.Done);
          break;
        }
        case State.ChunkSize:
        case State.Trailers: {
          const idx = buf.indexOf('\r\n', pos);
          if (idx === -1) {
            if (len - pos > MAX_LINE) throw badResponse('a chunk line is too long');
            this.pending = buf.subarray(pos);
            return;
          }
          const line = buf.toString('latin1', pos, idx);
          pos = idx + 2;
          if (this.state === State.Trailers) {
            if (line === '') this.state = State.Done; // trailer fields are dropped
          } else {
            const size = line.split(';', 1)[0]?.trim() ?? '';
            if (!/^[0-9A-Fa-f]{1,12}$/.test(size)) throw badResponse('a chunk size is not hexadecimal');
            this.remaining = parseInt(size, 16);
            this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          }
          break;
        }
        case State.ChunkEnd: {
          if (len - pos < 2) {
            this.pending = buf.subarray(pos);
            return;
          }
          if (buf.readUInt16LE(pos) !== CRLF) throw badResponse('a chunk does not end with CRLF');
          pos += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.UntilClose:
          this.sink.data(pos === 0 ? buf : buf.subarray(pos), false);
          return;
        case State.Done:
          // Bytes after a complete response: the connection is out of step, never reuse it.
          this.reusable = false;
          return;
      }
    }
  }

  /** The connection reached its end: completes a body that runs until close; false if the response was cut. */
  eof(): boolean {
    if (this.state === State.UntilClose) {
      this.reusable = false;
      this.state = State.Done;
      if (!this.signalled) {
        this.signalled = true;
        this.sink.end(false);
      }
      return true;
    }
    return this.state === State.Done;
  }

  private parseHead(text: string): void {
    let eol = text.indexOf('\r\n');
    if (eol === -1) eol = text.length;
    // "HTTP/1.x NNN reason", read by position: no regular expression or match array per response.
    const minor = text.charCodeAt(7) - 48;
    const status = (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
    if (
      !text.startsWith('HTTP/1.') ||
      (minor !== 0 && minor !== 1) ||
      text.charCodeAt(8) !== 32 ||
      !(status >= 100 && status <= 999) ||
      !STATUS_DIGITS.test(text.slice(9, 12)) ||
      (eol > 12 && text.charCodeAt(12) !== 32)
    ) {
      throw badResponse('the status line is malformed');
    }
    const reason = eol > 13 ? text.slice(13, eol) : '';
    const raw: string[] = [];
    let contentLength: string | null = null;
    let chunked = false;
    let transferEncoding = false;
    let close = minor === 0;
    let pos = eol + 2;
    while (pos < text.length) {
      let end = text.indexOf('\r\n', pos);
      if (end === -1) end = text.length;
      const colon = text.indexOf(':', pos);
      if (colon <= pos || colon >= end) throw badResponse('a header line has no name');
      const name = text.slice(pos, colon);
      if (!TOKEN.test(name)) throw badResponse('a header name is not a token');
      // Trim optional whitespace by position instead of slicing twice.
      let vs = colon + 1;
      let ve = end;
      while (vs < ve && (text.charCodeAt(vs) === 32 || text.charCodeAt(vs) === 9)) vs++;
      while (ve > vs && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
      const value = text.slice(vs, ve);
      pos = end + 2;
      raw.push(name, value);
      switch (name.length === 10 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '') {
        case 'content-length':
          if (!/^\d{1,15}$/.test(value) || (contentLength !== null && contentLength !== value)) throw badResponse('Content-Length is invalid');
          contentLength = value;
          break;
        case 'transfer-encoding':
          transferEncoding = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          break;
        case 'keep-alive': {
          const t = /(?:^|,)\s*timeout\s*=\s*(\d+)/i.exec(value);
          if (t) this.keepAliveTimeoutMs = Number(t[1]) * 1000;
          break;
        }
        case 'connection':
          if (/(?:^|,)\s*close\s*(?:,|$)/i.test(value)) close = true;
          else if (minor === 0 && /(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(value)) close = false;
          break;
      }
    }
    if (status < 200) {
      if (status === 101) throw badResponse('the back end switched protocols, which the gateway does not support');
      return; // 100 Continue, 103 Early Hints: wait for the final answer
    }
    if (close) this.reusable = false;
    this.sink.head(status, reason, raw);
    if (this.headRequest || status === 204 || status === 304) {
      this.state = State.Done;
    } else if (transferEncoding) {
      if (contentLength !== null) this.reusable = false; // RFC 9112 6.3: both present, close afterwards
      if (chunked) this.state = State.ChunkSize;
      else {
        this.reusable = false;
        this.state = State.UntilClose;
      }
    } else if (contentLength !== null) {
      this.remaining = Number(contentLength);
      this.state = this.remaining === 0 ? State.Done : State.Length;
    } else {
      this.reusable = false;
      this.state = State.UntilClose;
    }
  }
}
