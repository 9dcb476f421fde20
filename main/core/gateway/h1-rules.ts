/**
 * Two rules of RFC 9110/9112 that undici 7's HTTP/1.1 client does not keep, added to each HTTP/1.1
 * connection's parser. llhttp still parses every byte; only the decision undici takes once a head is parsed
 * is changed, and only for these two cases (everything else goes to undici's own `onHeadersComplete`):
 *
 * - An interim `100 Continue` is skipped: RFC 9110 15.2 says a client must parse and tolerate a 1xx it did
 *   not expect, and undici closes the connection instead. The gateway never forwards `Expect` (undici does not
 *   send it); node:http answers a client's `Expect: 100-continue` itself, so a back end's 100 is never the
 *   client's to see. It does not extend the back-end timeout: the final answer is due when it was.
 * - A status line whose version is not HTTP/1.0 or HTTP/1.1 is refused as malformed: llhttp also accepts
 *   `HTTP/0.9` and `HTTP/2.0` there, and HTTP/2 is chosen by ALPN, never by a status line.
 *
 * These reach undici's internals (its symbols module and the parser's fields), pinned by the hostile
 * back-end tests (gateway-hostile.test.ts): an undici that changes them fails those tests, never silently.
 */
import type { Duplex } from 'node:stream';
import symbols from 'undici/lib/core/symbols.js';

/** The fields of undici's HTTP/1.1 parser (client-h1.js `Parser`) these rules read or set. */
interface H1Parser {
  readonly socket: Duplex;
  readonly client: Record<symbol, unknown>;
  readonly llhttp: { llhttp_get_http_major(ptr: number): number; llhttp_get_http_minor(ptr: number): number };
  readonly ptr: number;
  statusCode: number;
  headers: unknown[];
  headersSize: number;
  onHeadersComplete(statusCode: number, upgrade: boolean, shouldKeepAlive: boolean): number;
}

/** llhttp: skip the message's body (an interim answer has none) and go on with the next message. */
const SKIP_BODY = 1;
/** llhttp: stop parsing (the connection has been destroyed). */
const STOP = -1;

/** Apply the rules to a connection undici has just taken (no-op for HTTP/2, which has no such parser). */
export function keepResponseRules(socket: Duplex): void {
  const parser = (socket as unknown as Record<symbol, unknown>)[symbols.kParser] as H1Parser | null | undefined;
  if (parser == null || typeof parser.onHeadersComplete !== 'function' || typeof parser.llhttp?.llhttp_get_http_major !== 'function') return;
  const undiciRules = parser.onHeadersComplete;
  parser.onHeadersComplete = function onHeadersComplete(this: H1Parser, statusCode, upgrade, shouldKeepAlive): number {
    const major = this.llhttp.llhttp_get_http_major(this.ptr);
    const minor = this.llhttp.llhttp_get_http_minor(this.ptr);
    if (major !== 1 || minor > 1) {
      const message = `The back end answered with an HTTP/${major}.${minor} status line on an HTTP/1.1 connection.`;
      this.socket.destroy(Object.assign(new Error(message), { code: 'HPE_INVALID_VERSION' }));
      return STOP;
    }
    if (statusCode === 100 && !upgrade && !this.socket.destroyed && awaitsAnswer(this.client)) {
      // What undici does with a 102 or 103, less the handler call and the timeout refresh.
      this.statusCode = 100;
      this.headers = [];
      this.headersSize = 0;
      return SKIP_BODY;
    }
    return undiciRules.call(this, statusCode, upgrade, shouldKeepAlive);
  };
}

/** A request on this connection is waiting for its answer (else a 100 is stray bytes: undici refuses them). */
function awaitsAnswer(client: Record<symbol, unknown>): boolean {
  const queue = client[symbols.kQueue] as unknown[] | undefined;
  return (client[symbols.kRunning] as number) > 0 && queue?.[client[symbols.kRunningIdx] as number] != null;
}
