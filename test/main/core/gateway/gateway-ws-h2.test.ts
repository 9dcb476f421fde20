import type { IncomingMessage } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { call, eventually, material, peerThumbprint, route, startBackend, type TestBackend } from './helpers';
import { get, rawRequest, statusLines } from './hostile';

/** Open a WebSocket through the gateway; resolves once open, or rejects with the refusal's status. */
function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => reject(Object.assign(new Error(`status ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** Send one message and wait for the answer. */
function roundTrip(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(data.toString()));
    ws.send(text);
  });
}

describe('gateway WebSocket passthrough and HTTP/2 back ends, over mutual TLS', () => {
  let pki: TestPki;
  let certA: CertFiles;
  let certB: CertFiles;
  let backend: TestBackend;
  let wss: WebSocketServer;
  let h2: http2.Http2SecureServer;
  let h2Url: string;
  let h2Sessions = 0;
  let gateway: Gateway;
  let base: string;
  let wsBase: string;

  beforeAll(async () => {
    pki = await createTestPki();
    certA = await pki.issueClient({ cn: 'ws-a' });
    certB = await pki.issueClient({ cn: 'ws-b' });
    backend = await startBackend(pki);
    wss = new WebSocketServer({ server: backend.server, verifyClient: (info: { req: IncomingMessage }) => info.req.url !== '/deny' });
    // Each message is echoed with the thumbprint of the client certificate the connection presented.
    wss.on('connection', (ws, req) => {
      const thumbprint = peerThumbprint(req);
      ws.on('message', (data: Buffer) => ws.send(`${thumbprint ?? 'none'}:${data.toString()}`));
    });
    h2 = http2.createSecureServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true });
    h2.on('secureConnection', () => h2Sessions++);
    h2.on('stream', (stream, headers) => {
      let size = 0;
      stream.on('data', (c: Buffer) => (size += c.length));
      stream.on('end', () => {
        const x509 = (stream.session?.socket as TLSSocket | undefined)?.getPeerX509Certificate();
        const body = JSON.stringify({ path: headers[':path'], method: headers[':method'], size, thumbprint: x509?.fingerprint.replace(/:/g, '') ?? null });
        stream.respond({ ':status': 200, 'content-type': 'application/json', 'x-h2': 'yes' });
        stream.end(body);
      });
    });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    h2Url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    wsBase = base.replace('http://', 'ws://');
  });

  afterAll(async () => {
    await gateway?.stop();
    wss?.close();
    await backend?.close();
    await new Promise<void>((resolve) => (h2 ? h2.close(() => resolve()) : resolve()));
    await pki?.remove();
  });

  function serveWs(cert: CertFiles, id: string): void {
    gateway.apply({
      routes: [
        route(pki, { apiId: 'ws', serviceUrl: backend.url, clientCertificate: material(cert, id) }),
        route(pki, { apiId: 'h2', serviceUrl: `${h2Url}/base`, clientCertificate: material(certA, 'a') }),
      ],
    });
  }

  it('passes a WebSocket through with the route certificate, and lists it in the traffic log', async () => {
    serveWs(certA, 'a');
    const ws = await openSocket(`${wsBase}/ws/chat`);
    expect(await roundTrip(ws, 'hello')).toBe(`${material(certA).thumbprint}:hello`);
    expect(await roundTrip(ws, 'again')).toBe(`${material(certA).thumbprint}:again`);
    expect(gateway.traffic(1)[0]).toMatchObject({ path: '/ws/chat', apiId: 'ws', status: 101, certificateId: 'a', thumbprint: material(certA).thumbprint, errorCode: null });
    ws.close();
  });

  it('keeps open WebSockets across a saved change; new ones present the new certificate', async () => {
    serveWs(certA, 'a');
    const old = await openSocket(`${wsBase}/ws/old`);
    serveWs(certB, 'b');
    const fresh = await openSocket(`${wsBase}/ws/new`);
    expect(await roundTrip(fresh, 'x')).toBe(`${material(certB).thumbprint}:x`);
    expect(await roundTrip(old, 'y')).toBe(`${material(certA).thumbprint}:y`);
    // The old pool closes once its calls are over; the tunnel it opened is not one of them.
    await eventually(() => gateway.connectionStats().retiringPools === 0, 'the old pool to close');
    expect(await roundTrip(old, 'still')).toBe(`${material(certA).thumbprint}:still`);
    expect(gateway.traffic(2).map((e) => e.certificateId)).toEqual(['a', 'b']);
    old.close();
    fresh.close();
  });

  it("relays the back end's refusal of an upgrade, and refuses unknown routes and other protocols itself", async () => {
    serveWs(certA, 'a');
    await expect(openSocket(`${wsBase}/ws/deny`)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(`${wsBase}/nowhere`)).rejects.toMatchObject({ status: 404 });
    const h2c = await rawRequest(base, 'GET /ws/x HTTP/1.1\r\nHost: g\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    expect(statusLines(h2c.text)).toEqual(['HTTP/1.1 501 Not Implemented']);
    expect(gateway.traffic(1)[0]).toMatchObject({ status: 501, errorCode: 'validation' });
  });

  it('closes open WebSockets at stop', async () => {
    const own = new Gateway({ port: 0 });
    const started = await own.start();
    if (!started.ok) throw new Error(started.error.message);
    own.apply({ routes: [route(pki, { apiId: 'ws', serviceUrl: backend.url, clientCertificate: material(certA, 'a') })] });
    const ws = await openSocket(`${started.value.url.replace('http://', 'ws://')}/ws/chat`);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await own.stop();
    await closed;
  });

  it('speaks HTTP/2 to a back end that picks it by ALPN, with the client certificate; the client side stays HTTP/1.1', async () => {
    serveWs(certA, 'a');
    const sessionsBefore = h2Sessions;
    for (let i = 0; i < 5; i++) {
      const reply = await call(base, `/h2/item/${i}?q=1`);
      expect(reply.status).toBe(200);
      expect(reply.headers['x-h2']).toBe('yes');
      expect(reply.json()).toEqual({ path: `/base/item/${i}?q=1`, method: 'GET', size: 0, thumbprint: material(certA).thumbprint });
    }
    const upload = await call(base, '/h2/upload', { method: 'POST', body: Buffer.alloc(100_000, 7), headers: { 'content-type': 'application/octet-stream' } });
    expect(upload.json()).toMatchObject({ method: 'POST', size: 100_000 });
    // One HTTP/2 session carries every call.
    expect(h2Sessions - sessionsBefore).toBe(1);
    const raw = await rawRequest(base, get('/h2/raw'));
    expect(statusLines(raw.text)).toEqual(['HTTP/1.1 200 OK']);
    expect(raw.text).not.toMatch(/^:status/m);
  });
});
