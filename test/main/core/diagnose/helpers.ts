/**
 * Pieces for the diagnosis tests that the gateway helpers do not have: a server certificate with chosen
 * dates (OpenSSL 3.0's `x509 -req` cannot back-date one), and a TCP server that accepts and never answers.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import type { CertFiles, TestCa } from '../../../helpers/pki';

/** A server certificate issued by `ca` (an RSA CA of the test PKI) valid from `notBefore` to `notAfter`. */
export async function issueServerWithDates(
  dir: string,
  ca: TestCa,
  options: { readonly cn: string; readonly notBefore: Date; readonly notAfter: Date; readonly dnsNames: readonly string[]; readonly ips: readonly string[] },
): Promise<CertFiles> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0a1b2c3d4e';
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject([{ name: 'commonName', value: options.cn }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...options.dnsNames.map((value) => ({ type: 2, value })), ...options.ips.map((ip) => ({ type: 7, ip }))] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const name = `dated-${options.cn.replace(/[^A-Za-z0-9.-]/g, '_')}`;
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  await writeFile(certPath, certPem);
  await writeFile(keyPath, keyPem);
  const x509 = new X509Certificate(certPem);
  return { name, certPem, keyPem, certPath, keyPath, thumbprint: x509.fingerprint.replace(/:/g, ''), subject: x509.subject };
}

/** A TCP server on 127.0.0.1:0 that accepts connections and never sends a byte. */
export async function startSilentServer(): Promise<{ readonly port: number; accepted(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
