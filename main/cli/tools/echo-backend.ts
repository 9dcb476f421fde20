/**
 * A local HTTPS back end for trying CertGate offline (`certgate echo-backend`) and for tests: it makes its
 * own CA and server certificate at start, requires a client certificate, and answers every request with
 * JSON describing what it received, the client certificate included.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';

/** How to start the echo back end. */
export interface EchoBackendOptions {
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Write the back end's CA certificate here as `ca.crt`. */
  readonly caOutDir?: string;
  /** CAs whose client certificates are accepted. */
  readonly trustCaPems?: readonly string[];
  /** Accept any client certificate (self-signed too); calls without one get 401. */
  readonly acceptAnyClientCertificate?: boolean;
  /** Default true; false accepts calls without a client certificate (they echo `clientCertificate: null`). */
  readonly requireClientCertificate?: boolean;
}

/** A running echo back end. */
export interface EchoBackend {
  readonly url: string;
  readonly port: number;
  /** The CA certificate that issued the back end's server certificate (trust it on the gateway side). */
  readonly caPem: string;
  close(): Promise<void>;
}

/** What the echo back end answers. */
export interface EchoResponse {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: { readonly size: number; readonly text: string; readonly truncated: boolean };
  readonly clientCertificate: { readonly subject: string; readonly thumbprint: string; readonly issuer: string; readonly notAfter: string } | null;
  readonly tls: { readonly version: string | null; readonly cipher: string | null };
}

const BODY_ECHO_LIMIT = 4096;

function rsaKeyPair(): { forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.PublicKey; pem: string } {
  // Node generates the key natively (fast); forge only signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function newCertificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  return cert;
}

/** A CA and a server certificate for localhost, 127.0.0.1, ::1 and `host`, made in-process. */
function makeServerPki(host: string): { caPem: string; certPem: string; keyPem: string } {
  const ca = rsaKeyPair();
  const caCert = newCertificate(ca.publicKey, 365);
  const caName = [{ name: 'commonName', value: 'CertGate echo back end CA' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgeKey, forge.md.sha256.create());

  const server = rsaKeyPair();
  const cert = newCertificate(server.publicKey, 365);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  const altNames: { type: number; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (host !== 'localhost' && host !== '127.0.0.1' && host !== '::1' && host !== '0.0.0.0' && host !== '::') {
    altNames.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(ca.forgeKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.pem };
}

/** "CN=client1,O=Contoso" (most specific first) from Node's one-attribute-per-line form. */
function rfc4514(name: string): string {
  return name.split('\n').filter(Boolean).reverse().join(',');
}

function describeClientCertificate(socket: TLSSocket): EchoResponse['clientCertificate'] {
  const x509: X509Certificate | undefined = socket.getPeerX509Certificate();
  if (!x509) return null;
  return {
    subject: rfc4514(x509.subject),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    issuer: rfc4514(x509.issuer),
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req: IncomingMessage, res: ServerResponse, refuseWithoutCert: boolean): void {
  const socket = req.socket as TLSSocket;
  const clientCertificate = describeClientCertificate(socket);
  if (refuseWithoutCert && clientCertificate === null) {
    req.resume();
    sendJson(res, 401, { error: { code: 'client-certificate-required', message: 'This back end requires a client certificate.' } });
    return;
  }
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (keptBytes < BODY_ECHO_LIMIT) {
      const part = chunk.subarray(0, BODY_ECHO_LIMIT - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'https://echo.invalid');
    const cipher = socket.getCipher();
    const answer: EchoResponse = {
      method: req.method ?? '',
      path: url.pathname,
      query: queryOf(url.searchParams),
      headers: req.headers,
      body: { size, text: Buffer.concat(kept).toString('utf8'), truncated: size > keptBytes },
      clientCertificate,
      tls: { version: socket.getProtocol(), cipher: cipher?.name ?? null },
    };
    sendJson(res, 200, answer);
  });
}

/** Start the echo back end; its CA is generated now and written to `caOutDir/ca.crt` when asked. */
export async function startEchoBackend(options: EchoBackendOptions = {}): Promise<EchoBackend> {
  const host = options.host ?? '127.0.0.1';
  const pki = makeServerPki(host);
  if (options.caOutDir) {
    await mkdir(options.caOutDir, { recursive: true });
    await writeFile(path.join(options.caOutDir, 'ca.crt'), pki.caPem);
  }
  const required = options.requireClientCertificate ?? true;
  const any = options.acceptAnyClientCertificate ?? false;
  const server = https.createServer(
    {
      key: pki.keyPem,
      cert: pki.certPem,
      requestCert: true,
      // Verified by TLS against the given CAs, unless any certificate (or none) is accepted.
      rejectUnauthorized: required && !any,
      ...(options.trustCaPems && options.trustCaPems.length > 0 && !any ? { ca: [...options.trustCaPems] } : {}),
    },
    (req, res) => handle(req, res, required && any),
  );
  // Longer than the gateway's idle timeout, so the gateway closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.on('tlsClientError', () => {
    // A refused client certificate: TLS has already told the client; nothing to log.
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `https://${urlHost}:${port}`,
    port,
    caPem: pki.caPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
