import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../../main/core/gateway/gateway';
import type { TrafficEntry } from '../../../../preload/contract';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, echoHandler, eventually, material, route, startBackend, type TestBackend } from './helpers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Hang-ups, resets, stalls, malformed requests: the gateway answers, never crashes, leaks no socket. */
describe('gateway robustness', () => {
  let pki: TestPki;
  let client: CertFiles;
  let backend: TestBackend;
  let gateway: Gateway;
  let base: string;
  let handler: Handler = echoHandler;

  beforeAll(async () => {
    pki = await createTestPki();
    client = await pki.issueClient({ cn: 'client1' });
    backend = await startBackend(pki, { handler: (req, res) => handler(req, res) });
    gateway = new Gateway({ port: 0, backendTimeoutMs: 300 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    gateway.apply({ routes: [route(pki, { apiId: 'api', serviceUrl: backend.url, clientCertificate: material(client, 'c1') })] });
  });

  afterAll(async () => {
    await gateway?.stop();
    await backend?.close();
    await pki?.remove();
  });

  /** Resolve with the traffic entry of the next `n` finished calls. */
  function nextEntries(n: number): Promise<TrafficEntry[]> {
    const seen: TrafficEntry[] = [];
    return new Promise((resolve) => {
      const off = gateway.onTraffic((e) => {
        seen.push(e);
        if (seen.length === n) {
          off();
          resolve(seen);
        }
      });
    });
  }

  async function expectNoLeaks(): Promise<void> {
    await eventually(() => gateway.connectionStats().backendSockets.active === 0, 'no back-end socket in use');
    await eventually(async () => (await gateway.clientConnections()) === 0, 'no client connection left');
    expect(gateway.connectionStats().inFlight).toBe(0);
    expect(gateway.status().counters.inFlight).toBe(0);
    // The gateway still works.
    handler = echoHandler;
    expect((await call(base, '/api/alive')).status).toBe(200);
  }

  it('survives 20 clients hanging up while the back end is still working, and closes those back-end sockets', async () => {
    const held: http.IncomingMessage[] = [];
    let gotAll: () => void = () => undefined;
    const allArrived = new Promise<void>((r) => (gotAll = r));
    handler = (req) => {
      held.push(req);
      if (held.length === 20) gotAll();
    };
    const clients = Array.from({ length: 20 }, (_, i) => {
      const req = http.request(`${base}/api/slow/${i}`, { agent: false });
      req.on('error', () => undefined);
      req.end();
      return req;
    });
    await allArrived;
    const entries = nextEntries(20);
    const backendClosed = Promise.all(held.map((r) => new Promise((res) => r.socket.once('close', res))));
    for (const c of clients) c.destroy();
    expect((await entries).map((e) => e.status)).toEqual(Array<number>(20).fill(499));
    await backendClosed;
    await expectNoLeaks();
  });

  it('keeps the back-end connection when a client hangs up before a prompt answer (no new handshake)', async () => {
    handler = echoHandler;
    expect((await call(base, '/api/warm')).status).toBe(200);
    const handshakes = backend.handshakes();
    let answer: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      handler = (req, res) => {
        req.resume();
        answer = () => res.end('late');
        resolve();
      };
    });
    const entry = nextEntries(1);
    const req = http.request(`${base}/api/late`, { agent: false });
    req.on('error', () => undefined);
    req.end();
    await arrived;
    req.destroy();
    expect((await entry)[0]?.status).toBe(499);
    answer();
    await eventually(() => gateway.connectionStats().backendSockets.active === 0, 'the answer to be drained');
    handler = echoHandler;
    expect((await call(base, '/api/next')).status).toBe(200);
    expect(backend.handshakes()).toBe(handshakes);
  });

  it('survives a client that hangs up in the middle of a streamed answer', async () => {
    let backendRes: http.ServerResponse | null = null;
    handler = (req, res) => {
      backendRes = res;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk');
    };
    const entry = nextEntries(1);
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/api/stream`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    expect((await entry)[0]?.status).toBe(499);
    await eventually(() => backendRes?.destroyed === true, 'the back-end response to be cut');
    await expectNoLeaks();
  });

  it('backend-reset: the back end destroys the socket before or during its answer', async () => {
    handler = (req) => req.socket.destroy();
    const before = await call(base, '/api/reset-before');
    expect(before.status).toBe(502);
    expect(before.json<{ error: { code: string } }>().error.code).toBe('backend-reset');

    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('partial', () => req.socket.destroy());
    };
    const entry = nextEntries(1);
    await expect(call(base, '/api/reset-during')).rejects.toThrow();
    expect((await entry)[0]).toMatchObject({ status: 200, errorCode: 'backend-reset' });
    await expectNoLeaks();
  });

  it('backend-timeout: a silent back end gets 504, a stalled answer is cut', async () => {
    handler = (req) => req.resume();
    const silent = await call(base, '/api/silent');
    expect(silent.status).toBe(504);
    expect(silent.json<{ error: { code: string; api: string } }>().error).toMatchObject({ code: 'backend-timeout', api: 'api' });

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('and then nothing');
    };
    const entry = nextEntries(1);
    await expect(call(base, '/api/stall')).rejects.toThrow();
    expect((await entry)[0]).toMatchObject({ status: 200, errorCode: 'backend-timeout' });
    await expectNoLeaks();
  });

  it('answers a malformed request with 400 and keeps serving', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => socket.write('GET /api/x HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', () => undefined);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await expectNoLeaks();
  });

  it('recovers when the back end closes idle keep-alive connections', async () => {
    handler = echoHandler;
    expect((await call(base, '/api/one')).status).toBe(200);
    backend.server.closeIdleConnections();
    expect((await call(base, '/api/two')).status).toBe(200);
  });

  it('testCall: sends through the listener and reads back certificate and error code', async () => {
    handler = echoHandler;
    const result = await gateway.testCall({ apiId: 'api', method: 'POST', path: 'items?x=1', headers: { 'x-test': 'yes' }, body: 'hello' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ status: 200, certificateId: 'c1', thumbprint: client.thumbprint, errorCode: null, bodyTruncated: false });
    expect(JSON.parse(result.value.body)).toMatchObject({ method: 'POST', url: '/items?x=1', bodySize: 5 });
    expect(result.value.headers['x-certgate-request-id']).toBeTruthy();

    handler = (req, res) => {
      req.resume();
      res.end('x'.repeat(100_000));
    };
    const big = await gateway.testCall({ apiId: 'api', method: 'GET', path: '/big' });
    expect(big.ok && big.value.body.length === 64 * 1024 && big.value.bodyTruncated).toBe(true);

    handler = (req) => req.socket.destroy();
    const failed = await gateway.testCall({ apiId: 'api', method: 'GET', path: '' });
    expect(failed.ok && failed.value).toMatchObject({ status: 502, errorCode: 'backend-reset' });

    expect(await gateway.testCall({ apiId: 'nope', method: 'GET', path: '' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await new Gateway({ port: 0 }).testCall({ apiId: 'api', method: 'GET', path: '' })).toMatchObject({
      ok: false,
      error: { code: 'gateway-unavailable' },
    });
  });

  it('fails to start, without throwing, on a port already in use', async () => {
    const port = Number(new URL(base).port);
    const second = new Gateway({ port });
    const result = await second.start();
    expect(result).toMatchObject({ ok: false, error: { code: 'gateway-unavailable' } });
    expect(!result.ok && result.error.message).toContain(String(port));
    expect(second.status()).toMatchObject({ state: 'failed', url: null });
    await second.stop();
  });

  it('stop() lets a call in flight finish', async () => {
    const own = new Gateway({ port: 0 });
    const started = await own.start();
    if (!started.ok) throw new Error(started.error.message);
    own.apply({ routes: [route(pki, { apiId: 'api', serviceUrl: backend.url, clientCertificate: material(client) })] });
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      handler = (req, res) => {
        req.resume();
        release = () => res.end('done');
        resolve();
      };
    });
    const pending = call(started.value.url, '/api/x');
    await arrived;
    const stopped = own.stop();
    release();
    expect((await pending).body).toBe('done');
    await stopped;
    expect(own.status().state).toBe('stopped');
  });
});
