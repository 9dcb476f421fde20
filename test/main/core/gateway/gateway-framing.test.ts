import http from 'node:http';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, echoHandler, eventually, material, route, startBackend, type Echo, type TestBackend } from './helpers';

/** A TLS back end that answers each request head with exactly the bytes a test gives. */
async function rawBackend(pki: TestPki, answer: (head: string, socket: tls.TLSSocket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      answer(head, socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Back-end answers of every framing are relayed intact, and connections are reused only when safe. */
describe('gateway response framing', () => {
  let pki: TestPki;
  let client: CertFiles;
  let gateway: Gateway;
  let base: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const close of closers) await close();
    await pki?.remove();
  });

  async function serve(backend: { url: string; close(): Promise<void> }): Promise<void> {
    closers.push(() => backend.close());
    gateway.apply({ routes: [route(pki, { apiId: 'f', serviceUrl: backend.url, clientCertificate: material(client) })] });
  }

  it('relays a chunked answer, a 5 MB download, HEAD and 204 over reused connections (a HEAD keeps its own)', async () => {
    const big = 5 * 1024 * 1024;
    const backend: TestBackend = await startBackend(pki, {
      handler: (req, res) => {
        req.resume();
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('part one, ');
          setImmediate(() => res.end('part two'));
        } else if (req.url === '/big') {
          res.writeHead(200, { 'content-length': big });
          res.end(Buffer.alloc(big, 1));
        } else if (req.url === '/empty') {
          res.writeHead(204);
          res.end();
        } else {
          res.writeHead(200, { 'content-length': 11, 'x-head': 'yes' });
          res.end(req.method === 'HEAD' ? undefined : 'hello world');
        }
      },
    });
    await serve(backend);
    const chunked = await call(base, '/f/chunked');
    expect(chunked.body).toBe('part one, part two');
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect((await call(base, '/f/big')).body.length).toBe(big);
    const head = await call(base, '/f/head', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers).toMatchObject({ 'x-head': 'yes', 'content-length': '11' });
    expect((await call(base, '/f/empty')).status).toBe(204);
    expect((await call(base, '/f/after')).body).toBe('hello world');
    // One connection for all five: the HEAD's answer is framed by its Content-Length like any other.
    expect(backend.handshakes()).toBe(1);
  });

  it('relays an answer that ends with the connection and one after an unrequested 100 Continue; refuses garbage', async () => {
    await serve(
      await rawBackend(pki, (head, socket) => {
        const path = head.split(' ')[1];
        if (path === '/until-close') socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
        else if (path === '/continue') socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.end('NOT HTTP AT ALL\r\n\r\n');
      }),
    );
    expect((await call(base, '/f/until-close')).body).toBe('until the end');
    // The gateway never sends Expect (node:http answers the client's on our side); a 100 the back end sends
    // anyway is skipped (RFC 9110 15.2) and its final answer relayed.
    const continued = await call(base, '/f/continue');
    expect({ status: continued.status, body: continued.body }).toEqual({ status: 200, body: 'ok' });
    const garbage = await call(base, '/f/garbage');
    expect(garbage.status).toBe(502);
    expect(garbage.json<{ error: { code: string } }>().error.code).toBe('backend-malformed');
  });

  it('forwards to a plain http:// back end as well, over a kept-alive connection', async () => {
    const server = http.createServer(echoHandler);
    let connections = 0;
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    gateway.apply({ routes: [route(pki, { apiId: 'plain', serviceUrl: `http://127.0.0.1:${port}/base`, clientCertificate: material(client) })] });
    const first = await call(base, '/plain/x?y=1');
    expect(first.json<Echo>()).toMatchObject({ url: '/base/x?y=1', thumbprint: null });
    expect((await call(base, '/plain/z', { method: 'POST', body: 'abc' })).json<Echo>().bodySize).toBe(3);
    expect(connections).toBe(1);
  });

  it('closes idle back-end connections after idleSocketTimeoutMs, and honours a short Keep-Alive hint', async () => {
    const own = new Gateway({ port: 0, idleSocketTimeoutMs: 100, backendTimeoutMs: 200 });
    const started = await own.start();
    if (!started.ok) throw new Error(started.error.message);
    closers.push(() => own.stop());
    const backend = await startBackend(pki);
    closers.push(() => backend.close());
    own.apply({ routes: [route(pki, { apiId: 'idle', serviceUrl: backend.url, clientCertificate: material(client) })] });
    expect((await call(started.value.url, '/idle/1')).status).toBe(200);
    expect(own.connectionStats().backendSockets.idle).toBe(1);
    await eventually(() => backend.openConnections() === 0, 'the idle connection to close');
    expect(own.connectionStats().backendSockets).toEqual({ active: 0, idle: 0 });

    // "Keep-Alive: timeout=1" leaves no safe margin: such connections are not kept.
    backend.server.keepAliveTimeout = 1000;
    expect((await call(started.value.url, '/idle/2')).status).toBe(200);
    expect((await call(started.value.url, '/idle/3')).status).toBe(200);
    expect(backend.handshakes()).toBe(3);
  });
});
