/**
 * Test fixtures made on the fly with the real tools (OpenSSL 3, Java keytool) in fresh temp folders, and
 * independent facts about them read back with `openssl x509`, so the parser is checked against the tools'
 * own view rather than against itself.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A fresh temp folder, and a function that removes it. */
export async function tempDir(): Promise<{ readonly dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certgate-certs-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Run openssl in `dir` (throws with its stderr when it fails). */
export function openssl(dir: string, args: readonly string[]): Buffer {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run keytool in `dir`. */
export async function keytool(dir: string, args: readonly string[]): Promise<void> {
  await execFileAsync('keytool', args, { cwd: dir });
}

/** A three-level PKI in `dir`: root CA, intermediate CA and an RSA client leaf (files named below). */
export interface Pki {
  readonly dir: string;
  /** root.pem, int.pem, leaf.pem, leaf.key (PKCS #8), chain.pem (int + root). */
  file(name: string): string;
  read(name: string): Promise<Buffer>;
}

const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';
const LEAF_EXT =
  'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' +
  'subjectAltName=DNS:client1.example.com,IP:127.0.0.1,email:client1@example.com\n';

/** The key options of `openssl req -newkey` for each kind of leaf key. */
export const KEY_ARGS = {
  rsa: ['-newkey', 'rsa:2048'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-newkey', 'ed25519'],
} as const;

/** Make root and intermediate CAs in `dir`. */
export async function makePki(dir: string): Promise<Pki> {
  await writeFile(path.join(dir, 'ca.ext'), CA_EXT);
  await writeFile(path.join(dir, 'leaf.ext'), LEAF_EXT);
  openssl(dir, ['req', '-x509', ...KEY_ARGS.rsa, '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', '/C=US/O=Contoso/CN=Contoso Test Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', ...KEY_ARGS.rsa, '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/C=US/O=Contoso/CN=Contoso Test Intermediate']);
  openssl(dir, ['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '0x1001', '-days', '3650', '-extfile', 'ca.ext', '-out', 'int.pem']);
  makeLeaf(dir, 'leaf', KEY_ARGS.rsa, '/C=US/O=Contoso/CN=client1');
  const chain = Buffer.concat([await readFile(path.join(dir, 'int.pem')), await readFile(path.join(dir, 'root.pem'))]);
  await writeFile(path.join(dir, 'chain.pem'), chain);
  return { dir, file: (name) => path.join(dir, name), read: (name) => readFile(path.join(dir, name)) };
}

/** Make `<name>.pem` and `<name>.key` (PKCS #8), signed by the intermediate of `makePki`. */
export function makeLeaf(dir: string, name: string, keyArgs: readonly string[], subject: string): void {
  openssl(dir, ['req', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-days', '825', '-extfile', 'leaf.ext', '-out', `${name}.pem`]);
}

/** `openssl pkcs12 -export` of `<leaf>.pem` + `<leaf>.key` + chain.pem with extra options; returns the file. */
export async function exportPfx(pki: Pki, out: string, password: string, extra: readonly string[] = [], leaf = 'leaf'): Promise<Buffer> {
  openssl(pki.dir, ['pkcs12', '-export', '-in', `${leaf}.pem`, '-inkey', `${leaf}.key`, '-certfile', 'chain.pem', '-passout', `pass:${password}`, '-out', out, ...extra]);
  return pki.read(out);
}

/** What OpenSSL itself says about a certificate. */
export interface CertFacts {
  readonly thumbprint: string;
  readonly sha256: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subject: string;
}

/** Read a certificate's facts with `openssl x509`. */
export function certFacts(dir: string, pemFile: string): CertFacts {
  const out = openssl(dir, ['x509', '-in', pemFile, '-noout', '-fingerprint', '-sha1', '-serial', '-startdate', '-enddate', '-subject', '-nameopt', 'RFC2253']).toString('utf8');
  const sha256 = openssl(dir, ['x509', '-in', pemFile, '-noout', '-fingerprint', '-sha256']).toString('utf8');
  const field = (text: string, prefix: RegExp) => (prefix.exec(text)?.[1] ?? '').trim();
  return {
    thumbprint: field(out, /SHA1 Fingerprint=(.*)/i).replaceAll(':', ''),
    sha256: field(sha256, /SHA256 Fingerprint=(.*)/i).replaceAll(':', ''),
    serial: field(out, /serial=(.*)/),
    notBefore: new Date(field(out, /notBefore=(.*)/)).toISOString(),
    notAfter: new Date(field(out, /notAfter=(.*)/)).toISOString(),
    subject: field(out, /subject=(.*)/),
  };
}

/** Split a PEM bundle into its certificate blocks. */
export function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
}
