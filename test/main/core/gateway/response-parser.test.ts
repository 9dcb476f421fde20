import { describe, expect, it } from 'vitest';
import { BAD_RESPONSE_CODE, ResponseParser, type ResponseSink } from '../../../../main/core/gateway/response-parser';

interface Parsed {
  status: number;
  reason: string;
  headers: string[];
  body: string;
  ended: boolean;
  reusable: boolean | null;
}

function collector(): { sink: ResponseSink; out: Parsed } {
  const out: Parsed = { status: 0, reason: '', headers: [], body: '', ended: false, reusable: null };
  return {
    out,
    sink: {
      head: (status, reason, headers) => Object.assign(out, { status, reason, headers }),
      data: (chunk) => {
        out.body += chunk.toString('latin1');
        return true;
      },
      end: (reusable) => Object.assign(out, { ended: true, reusable }),
    },
  };
}

/** Parse `wire` fed in pieces of `step` bytes (1 = byte by byte), then optionally signal EOF. */
function parse(wire: string, step: number, options: { head?: boolean; eof?: boolean } = {}): Parsed {
  const { sink, out } = collector();
  const parser = new ResponseParser(sink, options.head ?? false);
  const bytes = Buffer.from(wire, 'latin1');
  for (let i = 0; i < bytes.length; i += step) parser.feed(bytes.subarray(i, i + step));
  if (options.eof) parser.eof();
  return out;
}

const steps = [1, 2, 7, 1000];

describe('ResponseParser', () => {
  it.each(steps)('reads a Content-Length body whatever the pieces (step %i)', (step) => {
    const out = parse('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello', step);
    expect(out).toMatchObject({ status: 200, reason: 'OK', body: 'hello', ended: true, reusable: true });
    expect(out.headers).toEqual(['Content-Type', 'text/plain', 'Content-Length', '5', 'X-A', '1', 'x-a', '2']);
  });

  it.each(steps)('decodes chunked bodies with extensions and trailers (step %i)', (step) => {
    const out = parse('HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1A\r\n' + 'a'.repeat(26) + '\r\n0\r\nX-Trailer: t\r\n\r\n', step);
    expect(out).toMatchObject({ status: 201, body: `hello${'a'.repeat(26)}`, ended: true, reusable: true });
  });

  it.each(steps)('skips 100 Continue and 103 Early Hints (step %i)', (step) => {
    const out = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', step);
    expect(out).toMatchObject({ status: 200, body: 'ok', ended: true });
    expect(out.headers).toEqual(['Content-Length', '2']);
  });

  it('reads to the end of the connection without a length, and never reuses it', () => {
    const open = parse('HTTP/1.1 200 OK\r\n\r\nsome bytes', 3);
    expect(open.ended).toBe(false);
    const closed = parse('HTTP/1.1 200 OK\r\n\r\nsome bytes', 3, { eof: true });
    expect(closed).toMatchObject({ body: 'some bytes', ended: true, reusable: false });
  });

  it('has no body for HEAD, 204 and 304, and honours Connection: close and HTTP/1.0', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 4, { head: true })).toMatchObject({ ended: true, body: '', reusable: true });
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n', 1)).toMatchObject({ status: 204, ended: true });
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n', 1)).toMatchObject({ status: 304, ended: true });
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', 5)).toMatchObject({ ended: true, reusable: false });
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', 5)).toMatchObject({ ended: true, reusable: false });
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', 5)).toMatchObject({ reusable: true });
  });

  it('reports the Keep-Alive timeout hint and refuses reuse when bytes follow a complete answer', () => {
    const { sink, out } = collector();
    const parser = new ResponseParser(sink, false);
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 1\r\n\r\nxEXTRA'));
    expect(parser.keepAliveTimeoutMs).toBe(5000);
    expect(out).toMatchObject({ body: 'x', ended: true, reusable: false });
  });

  it.each([
    ['a garbage status line', 'HTP/1.1 200 OK\r\n\r\n'],
    ['a header without a name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n'],
    ['a bad header name', 'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY'],
    ['a protocol switch', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('refuses %s', (_what, wire) => {
    expect(() => parse(wire, 1)).toThrow(expect.objectContaining({ code: BAD_RESPONSE_CODE }));
  });

  it('refuses an endless header section', () => {
    const { sink } = collector();
    const parser = new ResponseParser(sink, false);
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\n'));
    expect(() => parser.feed(Buffer.alloc(70 * 1024, 'a'))).toThrow(expect.objectContaining({ code: BAD_RESPONSE_CODE }));
  });
});
