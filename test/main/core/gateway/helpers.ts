/**
 * Shared pieces for the gateway's integration tests: real HTTPS back ends on port 0 with a test PKI, route
 * configs, a raw HTTP client for the gateway, and waiting on conditions without fixed sleeps.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CertFiles, TestPki } from '../../../helpers/pki';
import type { RouteConfig } from '../../../../main/core/gateway/types';

/** What the test back end echoes. */
export interface Echo {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawHeaders: string[];
  readonly bodySize: number;
  readonly thumbprint: string | null;
}

/** A running HTTPS back end. */
export interface TestBackend {
  readonly url: string;
  readonly port: number;
  readonly server: https.Server;
  /** Completed TLS handshakes (secureConnection events). */
  handshakes(): number;
  /** TLS connections open now. */
  openConnections(): number;
  /** The SNI names clients sent, one per handshake (false: none). */
  readonly serverNames: (string | false)[];
  close(): Promise<void>;
}

/** Options for a test back end. */
export interface BackendOptions {
  /** Server certificate; default the PKI's localhost certificate. */
  readonly cert?: CertFiles;
  /** CAs trusted for client certificates; default the PKI's CA. Empty: no client certificate requested. */
  readonly clientCas?: readonly string[];
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Default: echo the request as JSON once its body has been read. */
  readonly handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** The client certificate's thumbprint on a back-end request, or null. */
export function peerThumbprint(req: http.IncomingMessage): string | null {
  const x509 = (req.socket as TLSSocket).getPeerX509Certificate?.();
  return x509 ? x509.fingerprint.replace(/:/g, '') : null;
}

/** The default handler: read the body, answer JSON describing the request. */
export function echoHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  let bodySize = 0;
  req.on('data', (c: Buffer) => (bodySize += c.length));
  req.on('end', () => {
    const echo: Echo = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, bodySize, thumbprint: peerThumbprint(req) };
    const body = JSON.stringify(echo);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), server: 'test-backend', 'x-backend': 'yes' });
    res.end(body);
  });
}

/** Start an HTTPS back end on 127.0.0.1:0 that requires a client certificate from the PKI's CA by default. */
export async function startBackend(pki: TestPki, options: BackendOptions = {}): Promise<TestBackend> {
  const cert = options.cert ?? pki.server;
  const clientCas = options.clientCas ?? [pki.ca.certPem];
  const requestCert = clientCas.length > 0;
  const server = https.createServer(
    {
      key: cert.keyPem,
      cert: cert.certPem,
      ...(requestCert ? { requestCert: true, rejectUnauthorized: true, ca: [...clientCas] } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    },
    options.handler ?? echoHandler,
  );
  server.keepAliveTimeout = 60_000;
  let handshakes = 0;
  const sockets = new Set<Socket>();
  const serverNames: (string | false)[] = [];
  server.on('secureConnection', (s: TLSSocket) => {
    handshakes++;
    serverNames.push((s as TLSSocket & { servername?: string | false }).servername ?? false);
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    server,
    handshakes: () => handshakes,
    openConnections: () => sockets.size,
    serverNames,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A route with sensible defaults: chain and name validated against the PKI's CA. */
export function route(pki: TestPki, overrides: Partial<RouteConfig> & { readonly apiId: string; readonly serviceUrl: string }): RouteConfig {
  return {
    path: overrides.apiId,
    tls: { validateCertificateChain: true, validateCertificateName: true, caPems: [pki.ca.certPem] },
    clientCertificate: null,
    basicAuth: null,
    inboundHeaders: [],
    outboundHeaders: [],
    ...overrides,
  };
}

/** The gateway's view of a client certificate. */
export function material(cert: CertFiles, id = cert.name): NonNullable<RouteConfig['clientCertificate']> {
  return { id, thumbprint: new X509Certificate(cert.certPem).fingerprint.replace(/:/g, ''), keyPem: cert.keyPem, certPem: cert.certPem };
}

/** A finished HTTP exchange. */
export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One request to the gateway on its own connection. */
export function call(
  base: string,
  path: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders | string[]; body?: Buffer | string; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolve once `check` returns true, checking after every event-loop turn; fail after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `openssl s_server -www` requiring a client certificate from the PKI's CA: unlike Node, OpenSSL refuses an
 * untrusted client certificate with a TLS alert (unknown_ca), the way most servers do.
 */
export async function startOpensslBackend(pki: TestPki, maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'openssl',
    [
      's_server', '-accept', `127.0.0.1:${port}`, '-cert', pki.server.certPath, '-key', pki.server.keyPath, '-CAfile', pki.ca.certPath,
      '-Verify', '2', '-verify_return_error', '-www', ...(maxVersion === 'TLSv1.2' ? ['-tls1_2'] : ['-tls1_3']),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ACCEPT')) resolve();
    });
    child.stderr.resume();
    child.once('exit', (code) => reject(new Error(`openssl s_server exited (${code ?? 'signal'}): ${out}`)));
  });
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
