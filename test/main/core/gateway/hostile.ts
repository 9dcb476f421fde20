/**
 * A hostile back end (a raw TLS server that answers each request with exactly the bytes a test chose) and a
 * raw client (a socket that shows the bytes the gateway's client really receives).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { TestPki } from '../../../helpers/pki';

/** What the hostile back end does for one request path. */
export interface HostileAnswer {
  /** Bytes to write (latin1). */
  readonly bytes?: string;
  /** Close our side after writing (a message delimited by the close). */
  readonly end?: boolean;
  /** Destroy the connection without answering, but only when it has already served a request. */
  readonly resetIfReused?: boolean;
  /** Say nothing more (a stalled back end). */
  readonly silent?: boolean;
}

/** One request the hostile back end received. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  /** Which connection (0-based, in accept order) and which request on it (0-based). */
  readonly connection: number;
  readonly index: number;
}

/** A running hostile back end. */
export interface HostileBackend {
  readonly url: string;
  readonly seen: SeenRequest[];
  connections(): number;
  close(): Promise<void>;
}

/** Start a TLS back end requiring a client certificate from the PKI's CA, answering from `answers` by path. */
export async function startHostile(pki: TestPki, answers: Readonly<Record<string, HostileAnswer>>): Promise<HostileBackend> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<tls.TLSSocket>();
  let accepted = 0;
  const server = tls.createServer(
    { key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true },
    (socket) => {
      const connection = accepted++;
      let index = 0;
      let buffered = Buffer.alloc(0);
      let skip = 0;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => {
        buffered = Buffer.concat([buffered, d]);
        for (;;) {
          if (skip > 0) {
            const n = Math.min(skip, buffered.length);
            buffered = buffered.subarray(n);
            skip -= n;
            if (skip > 0) return;
          }
          const end = buffered.indexOf('\r\n\r\n');
          if (end === -1) return;
          const head = buffered.subarray(0, end).toString('latin1');
          buffered = buffered.subarray(end + 4);
          skip = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          const [method = '', path = ''] = head.split(' ');
          seen.push({ method, path, connection, index });
          const answer = answers[path] ?? { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine' };
          const reused = index++ > 0;
          if (answer.resetIfReused && reused) {
            socket.destroy();
            return;
          }
          if (answer.silent) continue;
          const bytes = answer.bytes ?? 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine';
          if (answer.end) socket.end(bytes, 'latin1');
          else socket.write(bytes, 'latin1');
        }
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The bytes a raw client received: until the gateway closed the connection (or `timeoutMs`). */
export interface RawReply {
  readonly text: string;
  /** The connection was closed by the gateway (rather than by our timeout). */
  readonly closed: boolean;
  readonly ms: number;
}

/** Write `requests` (one string, maybe several pipelined requests) on one connection; read until it closes. */
export function rawRequest(base: string, requests: string, timeoutMs = 5_000): Promise<RawReply> {
  const u = new URL(base);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port), u.hostname);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false, ms: Date.now() - started });
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true, ms: Date.now() - started });
    });
    socket.write(requests, 'latin1');
  });
}

/** A GET request head for the gateway; the last of a pipeline asks for the connection to close. */
export function get(path: string, last = true): string {
  return `GET ${path} HTTP/1.1\r\nHost: gateway\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
}

/** Every status line in what a client received, in order, wherever it is (a smuggled one counts too). */
export function statusLines(text: string): string[] {
  return [...text.matchAll(/HTTP\/1\.[01] \d{3}[^\r\n]*/g)].map((m) => m[0]);
}

/** The error code of the JSON error body that ends a reply. */
export function errorCodeIn(text: string): string | null {
  return /\{"error":\{"code":"([a-z-]+)"/.exec(text)?.[1] ?? null;
}
