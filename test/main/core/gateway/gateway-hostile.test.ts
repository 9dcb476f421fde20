import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, eventually, material, route, startBackend, type Echo, type TestBackend } from './helpers';
import { errorCodeIn, get, rawRequest, startHostile, statusLines, type HostileAnswer, type HostileBackend } from './hostile';

/** A complete response a back end could try to smuggle to the next client. */
const FORGED = 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\nX-Forged: yes\r\n\r\nforged';
const TIMEOUT_MS = 1_000;

/** Answers the gateway must refuse: a JSON 502 backend-malformed, nothing of the back end's bytes relayed. */
const refused: Readonly<Record<string, HostileAnswer>> = {
  '/cl-te': { bytes: `HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n${(3 + FORGED.length).toString(16)}\r\nabc${FORGED}\r\n0\r\n\r\n` },
  '/te-cl': { bytes: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n${FORGED}` },
  '/cl-twice': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok' },
  '/cl-conflict': { bytes: `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: ${2 + FORGED.length}\r\n\r\nok${FORGED}` },
  '/cl-list': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok' },
  '/cl-plus': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok' },
  '/te-gzip': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc', end: true },
  '/te-gzip-chunked': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n' },
  '/lf-in-reason': { bytes: 'HTTP/1.1 200 O\nK\r\nContent-Length: 2\r\n\r\nok' },
  '/lf-only-head': { bytes: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok' },
  '/obs-fold': { bytes: 'HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok' },
  '/cr-in-value': { bytes: 'HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\nok' },
  '/nul-in-value': { bytes: 'HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok' },
  '/space-before-colon': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok' },
  '/huge-head': { bytes: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\nok` },
  '/bad-status': { bytes: 'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok' },
  '/not-http': { bytes: 'NOT HTTP AT ALL\r\n\r\n', end: true },
  '/chunk-0x': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n' },
  '/chunk-space': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n' },
  '/chunk-overflow': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nok\r\n0\r\n\r\n' },
  '/chunk-lf': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\n0\n\n' },
  // A bad chunk before any body byte: the client still gets a JSON 502, never an empty reply.
  '/chunk-bad-first': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', end: true },
  '/204-with-body': { bytes: `HTTP/1.1 204 No Content\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
  // HTTP/2 is chosen by ALPN, never by a status line; llhttp itself refuses HTTP/1.2 and a lower-case name.
  '/status-http2': { bytes: `HTTP/2.0 200 OK\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
  '/status-http09': { bytes: `HTTP/0.9 200 OK\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
  '/status-http12': { bytes: `HTTP/1.2 200 OK\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
  '/status-lowercase': { bytes: `http/1.1 200 OK\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
  // An interim answer with a version no HTTP/1.1 connection has, before a good final one.
  '/status-http2-interim': { bytes: 'HTTP/2.0 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' },
};

/** Answers relayed as they are meant: status and body the client receives. */
const relayed: Readonly<Record<string, HostileAnswer & { readonly status: number; readonly body: string }>> = {
  '/http10-until-close': { bytes: 'HTTP/1.0 200 OK\r\n\r\nuntil close', end: true, status: 200, body: 'until close' },
  '/http11-until-close': { bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close', end: true, status: 200, body: 'until close' },
  '/chunk-extension': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;ext="x"\r\nok\r\n0\r\n\r\n', status: 200, body: 'ok' },
  '/trailers': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n2\r\nok\r\n0\r\nX-T: t\r\n\r\n', status: 200, body: 'ok' },
  '/bytes-after': { bytes: `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok${FORGED}`, status: 200, body: 'ok' },
  '/early-hints': { bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', status: 200, body: 'ok' },
  '/processing': { bytes: 'HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', status: 201, body: 'ok' },
  '/204-length-0': { bytes: 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n', status: 204, body: '' },
  // A 304 has no body whatever it says: what follows is stray bytes on a connection that is then dropped.
  '/304-with-body': { bytes: `HTTP/1.1 304 Not Modified\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}`, status: 304, body: '' },
  '/304-with-length': { bytes: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\nETag: "v1"\r\n\r\n', status: 304, body: '' },
  // RFC 9110 15.2: a 1xx the client did not ask for is parsed and skipped; the final answer is relayed.
  '/unrequested-100': { bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', status: 200, body: 'ok' },
  '/two-100s': { bytes: 'HTTP/1.1 100 Continue\r\nX-A: a\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', status: 201, body: 'ok' },
  '/obs-text': { bytes: 'HTTP/1.1 200 OK\r\nX-A: caf\xe9\r\nContent-Length: 2\r\n\r\nok', status: 200, body: 'ok' },
};

/** Answers that fail after body bytes went out: the client's connection is cut, never a 502 appended. */
const cut: Readonly<Record<string, HostileAnswer>> = {
  '/short-body': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok', end: true },
  '/chunk-bad-later': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n', end: true },
  '/chunk-no-crlf': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX0\r\n\r\n' },
};

/** RFC 9112 framing against a back end that answers chosen bytes: what the client receives, and the next call. */
describe('gateway against a hostile back end', () => {
  let pki: TestPki;
  let client: CertFiles;
  let hostile: HostileBackend;
  let good: TestBackend;
  let gateway: Gateway;
  let base: string;

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    hostile = await startHostile(pki, {
      ...refused,
      ...relayed,
      ...cut,
      '/partial-head': { bytes: 'HTTP/1.1 200 OK\r\nContent-Le' },
      '/silent': { silent: true },
      '/reset-if-reused': { resetIfReused: true },
      '/head-length': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 42\r\nETag: "v1"\r\n\r\n' },
      '/head-with-body': { bytes: `HTTP/1.1 200 OK\r\nContent-Length: ${FORGED.length}\r\n\r\n${FORGED}` },
    });
    good = await startBackend(pki);
    gateway = new Gateway({ port: 0, backendTimeoutMs: TIMEOUT_MS });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    gateway.apply({
      routes: [
        route(pki, { apiId: 'evil', serviceUrl: hostile.url, clientCertificate: material(client) }),
        route(pki, { apiId: 'good', serviceUrl: good.url, clientCertificate: material(client) }),
        // The same back end with a pool of its own, for the retry test to count connections exactly.
        route(pki, { apiId: 'once', serviceUrl: hostile.url, clientCertificate: material(client) }),
        // Another pool of its own, for the connection-reuse tests (HEAD, 100 Continue).
        route(pki, { apiId: 'reuse', serviceUrl: hostile.url, clientCertificate: material(client) }),
      ],
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await hostile?.close();
    await good?.close();
    await pki?.remove();
  });

  /** Another client's next calls are unaffected: the good API, and the hostile back end's own good answer. */
  async function expectNextCallsFine(): Promise<void> {
    const next = await call(base, '/good/next');
    expect(next.status).toBe(200);
    expect(next.json<Echo>().url).toBe('/next');
    const fine = await call(base, '/evil/fine');
    expect({ status: fine.status, body: fine.body }).toEqual({ status: 200, body: 'fine' });
  }

  it.each(Object.keys(refused))('refuses %s: one JSON 502 backend-malformed within the back-end timeout, nothing relayed', async (path) => {
    const reply = await rawRequest(base, get(`/evil${path}`));
    expect(reply.closed).toBe(true);
    // backend-malformed, not backend-timeout: the refusal came before the back-end timeout could fire.
    expect(statusLines(reply.text)).toEqual(['HTTP/1.1 502 Bad Gateway']);
    expect(errorCodeIn(reply.text)).toBe('backend-malformed');
    expect(reply.text).not.toMatch(/forged|X-Forged|Transfer-Encoding: chunked\r\n.*Content-Length/s);
    expect(gateway.traffic(1)[0]).toMatchObject({ path: `/evil${path}`, status: 502, errorCode: 'backend-malformed' });
    await expectNextCallsFine();
  });

  it.each(Object.keys(relayed))('relays %s with the gateway’s own framing', async (path) => {
    const expected = relayed[path] as (typeof relayed)[string];
    const reply = await call(base, `/evil${path}`);
    expect({ status: reply.status, body: reply.body }).toEqual({ status: expected.status, body: expected.body });
    const raw = await rawRequest(base, get(`/evil${path}`));
    expect(raw.text).not.toMatch(/forged/);
    // One Content-Length at most, never with Transfer-Encoding.
    expect(raw.text.match(/\r\ncontent-length:/gi)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(/\r\ncontent-length:/i.test(raw.text) && /\r\ntransfer-encoding:/i.test(raw.text)).toBe(false);
    await expectNextCallsFine();
  });

  it('forwards 103 Early Hints and 102 Processing before the answer, and takes obs-text values byte for byte', async () => {
    const early = await rawRequest(base, get('/evil/early-hints'));
    expect(statusLines(early.text)).toEqual(['HTTP/1.1 103 Early Hints', 'HTTP/1.1 200 OK']);
    expect(early.text).toContain('\r\nLink: </a.css>; rel=preload\r\n');
    expect(statusLines((await rawRequest(base, get('/evil/processing'))).text)).toEqual(['HTTP/1.1 102 Processing', 'HTTP/1.1 201 Created']);
    expect((await rawRequest(base, get('/evil/obs-text'))).text).toContain('\r\nX-A: caf\xe9\r\n');
    expect((await rawRequest(base, get('/evil/304-with-length'))).text).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n[^]*Content-Length: 42\r\n[^]*\r\n\r\n$/);
  });

  /** The hostile back end's connection count and the pool's idle connection, for reuse checks. */
  async function idleConnection(): Promise<number> {
    expect((await call(base, '/reuse/fine')).body).toBe('fine');
    await eventually(() => gateway.connectionStats().backendSockets.active === 0, 'the connection back in the pool');
    return hostile.connections();
  }

  it('skips an unrequested 100 Continue: the client receives the final answer only, and the connection is reused', async () => {
    const connections = await idleConnection();
    const reply = await rawRequest(base, get('/reuse/unrequested-100'));
    expect(reply.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nok$/);
    expect(statusLines(reply.text)).toEqual(['HTTP/1.1 200 OK']);
    expect(gateway.traffic(1)[0]).toMatchObject({ path: '/reuse/unrequested-100', status: 200, handshake: 'reused', errorCode: null });
    expect((await rawRequest(base, get('/reuse/two-100s'))).text).toMatch(/^HTTP\/1\.1 201 Created\r\n[^]*\r\n\r\nok$/);
    expect((await call(base, '/reuse/fine')).body).toBe('fine');
    expect(hostile.connections()).toBe(connections);
    await expectNextCallsFine();
  });

  it('gives a client that sent Expect: 100-continue one 100 Continue (the gateway’s own), then the final answer', async () => {
    const post = 'POST /reuse/unrequested-100 HTTP/1.1\r\nHost: gateway\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody';
    const reply = await rawRequest(base, post);
    expect(statusLines(reply.text)).toEqual(['HTTP/1.1 100 Continue', 'HTTP/1.1 200 OK']);
    expect(reply.text).toMatch(/\r\n\r\nok$/);
    // The back end got the body, without the Expect header (the 100 was the gateway's business with the client).
    expect(hostile.seen.at(-1)).toMatchObject({ method: 'POST', path: '/unrequested-100' });
  });

  it('keeps the back-end connection after a HEAD: the head with its Content-Length, no body, and the next call reuses it', async () => {
    const connections = await idleConnection();
    const head = 'HEAD /reuse/head-length HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n';
    const reply = await rawRequest(base, head);
    expect(reply.closed).toBe(true);
    expect(reply.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 42\r\n[^]*\r\n\r\n$/);
    expect(gateway.traffic(1)[0]).toMatchObject({ method: 'HEAD', status: 200, handshake: 'reused', errorCode: null });
    const next = await call(base, '/reuse/fine');
    expect(next.body).toBe('fine');
    expect(gateway.traffic(1)[0]).toMatchObject({ path: '/reuse/fine', handshake: 'reused' });
    expect(hostile.connections()).toBe(connections);
    const onConnection = hostile.seen.slice(-2);
    expect(onConnection.map((s) => s.method)).toEqual(['HEAD', 'GET']);
    expect(onConnection[0]?.connection).toBe(onConnection[1]?.connection);
  });

  it('relays a HEAD answer whose back end sent a body anyway without the body; the next calls are fine', async () => {
    const reply = await rawRequest(base, 'HEAD /reuse/head-with-body HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n');
    expect(reply.text).toMatch(new RegExp(`^HTTP/1\\.1 200 OK\\r\\n[^]*Content-Length: ${FORGED.length}\\r\\n[^]*\\r\\n\\r\\n$`));
    expect(reply.text).not.toMatch(/forged/);
    expect((await call(base, '/reuse/fine')).body).toBe('fine');
    await expectNextCallsFine();
  });

  it.each(Object.keys(cut))('cuts the client connection when %s fails after body bytes were sent', async (path) => {
    const reply = await rawRequest(base, get(`/evil${path}`));
    expect(reply.closed).toBe(true);
    expect(statusLines(reply.text)).toEqual(['HTTP/1.1 200 OK']);
    expect(reply.text).toContain('ok');
    expect(reply.text).not.toContain('backend-malformed');
    // A complete-looking answer never reaches the client: no closing chunk, or fewer bytes than announced.
    expect(reply.text).not.toMatch(/\r\n0\r\n\r\n$/);
    await expect(call(base, `/evil${path}`)).rejects.toThrow();
    await expectNextCallsFine();
  });

  it('keeps pipelined calls to two APIs in step: the forged response never becomes the next answer', async () => {
    for (const evil of ['/evil/cl-te', '/evil/bytes-after', '/evil/204-with-body', '/evil/cl-conflict']) {
      const reply = await rawRequest(base, get(evil, false) + get('/good/after'));
      const lines = statusLines(reply.text);
      expect(lines, evil).toHaveLength(2);
      expect(lines[1], evil).toBe('HTTP/1.1 200 OK');
      expect(reply.text, evil).toContain('"url":"/after"');
      expect(reply.text, evil).not.toMatch(/forged/);
    }
  });

  it('answers 50 calls with a bare LF in the reason phrase, all 502 before the timeout, none left in flight', async () => {
    // Each is a 502 backend-malformed, never a 504: answered before the back-end timeout, none left hanging.
    const replies = await Promise.all(Array.from({ length: 50 }, () => call(base, '/evil/lf-in-reason')));
    expect(replies.filter((r) => r.status !== 502 || r.json<{ error: { code: string } }>().error.code !== 'backend-malformed')).toEqual([]);
    expect(gateway.traffic(50).filter((e) => e.errorCode === 'backend-malformed')).toHaveLength(50);
    expect(gateway.connectionStats().inFlight).toBe(0);
  });

  it('times out a head that never ends and a silent back end with 504 backend-timeout', async () => {
    for (const path of ['/evil/partial-head', '/evil/silent']) {
      const reply = await rawRequest(base, get(path));
      expect(statusLines(reply.text), path).toEqual(['HTTP/1.1 504 Gateway Timeout']);
      expect(errorCodeIn(reply.text)).toBe('backend-timeout');
      expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(reply.ms).toBeLessThan(TIMEOUT_MS * 10);
    }
    await expectNextCallsFine();
  });

  it('never sends a POST twice; retries a GET once when a reused connection turns out closed', async () => {
    const postsBefore = hostile.seen.filter((s) => s.method === 'POST').length;
    await call(base, '/once/fine'); // the pool's one idle connection, to reuse
    const post = await call(base, '/once/reset-if-reused', { method: 'POST', body: 'pay once', headers: { 'content-type': 'text/plain' } });
    expect(post.status).toBe(502);
    expect(post.json<{ error: { code: string } }>().error.code).toBe('backend-reset');
    expect(hostile.seen.filter((s) => s.method === 'POST').length - postsBefore).toBe(1);

    await call(base, '/once/fine');
    const before = hostile.seen.length;
    const retried = await call(base, '/once/reset-if-reused');
    expect(retried.status).toBe(200);
    const tries = hostile.seen.slice(before).filter((s) => s.path === '/reset-if-reused');
    // First on the reused connection (reset), then once on a new connection, as its first request.
    expect(tries.map((t) => t.index > 0)).toEqual([true, false]);
    expect(gateway.traffic(1)[0]).toMatchObject({ status: 200, handshake: 'new', errorCode: null });
  });

  it('refuses paths that could climb above the service path with 400 validation, before any back-end connection', async () => {
    const escaping = ['/..%2f..%2fsecret', '/..%5csecret', '/..\\secret', '/%2e%2e%2fsecret', '/%2e%2e/secret', '/a/../../secret', '/.%2e/x', '/%252e%252e%252fx', '/..;/x'];
    await eventually(() => gateway.connectionStats().backendSockets.active === 0, 'no call in flight');
    const seenBefore = hostile.seen.length;
    const connectionsBefore = hostile.connections();
    for (const path of escaping) {
      const reply = await rawRequest(base, get(`/evil${path}`));
      expect(statusLines(reply.text), path).toEqual(['HTTP/1.1 400 Bad Request']);
      expect(errorCodeIn(reply.text), path).toBe('validation');
    }
    expect(hostile.seen.length).toBe(seenBefore);
    expect(hostile.connections()).toBe(connectionsBefore);
    expect((await call(base, '/evil/a..b/fine.json')).status).toBe(200);
  });
});
