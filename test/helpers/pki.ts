/**
 * A throw-away PKI for tests, made with the `openssl` command in a fresh temp folder: CAs, server certificates
 * (localhost + 127.0.0.1 by default) and client certificates, with PEM text, file paths and thumbprints,
 * and PKCS#12 export. Call `remove()` when done.
 *
 *   const pki = await createTestPki();
 *   const client = await pki.issueClient({ cn: 'client1' });
 *   https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, ... })
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './temp-dir';

const run = promisify(execFile);

/** A certificate and its key, as text and as files. */
export interface CertFiles {
  /** File-name stem in the PKI folder (unique). */
  readonly name: string;
  readonly certPem: string;
  /** PKCS#8 PEM, unencrypted. */
  readonly keyPem: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** SHA-1 of the DER, upper-case hex without separators (CertGate's thumbprint). */
  readonly thumbprint: string;
  /** Node's form of the subject, e.g. "CN=client1". */
  readonly subject: string;
}

/** A certificate authority that can issue certificates. */
export type TestCa = CertFiles;

/** Key algorithms the helper can make. */
export type TestKeyType = 'rsa' | 'ec' | 'ed25519';

/** Options for issuing a certificate. */
export interface IssueOptions {
  readonly cn: string;
  /** Issuer; default the PKI's main CA. */
  readonly ca?: TestCa;
  /** Default 'rsa' (2048 bits). */
  readonly keyType?: TestKeyType;
  /** Validity in days from now; default 30. */
  readonly days?: number;
}

/** A test PKI in its own temp folder. */
export interface TestPki {
  readonly dir: string;
  /** The main CA ("CN=CertGate Test CA"). */
  readonly ca: TestCa;
  /** A server certificate for localhost and 127.0.0.1, issued by `ca`. */
  readonly server: CertFiles;
  /** Another self-signed CA, e.g. to make certificates nobody trusts. */
  createCa(cn: string, keyType?: TestKeyType): Promise<TestCa>;
  /** A client certificate (clientAuth). */
  issueClient(options: IssueOptions): Promise<CertFiles>;
  /** A server certificate (serverAuth) for the given names; default localhost + 127.0.0.1. */
  issueServer(options: IssueOptions & { readonly dnsNames?: readonly string[]; readonly ips?: readonly string[] }): Promise<CertFiles>;
  /** A PKCS#12 file of a certificate (+ the issuer when `chain`), OpenSSL 3 defaults or `-legacy`. */
  exportPfx(cert: CertFiles, options: { readonly password: string; readonly legacy?: boolean; readonly chain?: TestCa }): Promise<{ readonly path: string; readonly data: Buffer }>;
  /** Delete the folder. */
  remove(): Promise<void>;
}

function keyArgs(keyType: TestKeyType): string[] {
  switch (keyType) {
    case 'rsa':
      return ['-newkey', 'rsa:2048'];
    case 'ec':
      return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    case 'ed25519':
      return ['-newkey', 'ed25519'];
  }
}

/** Make a PKI: a CA and a localhost server certificate, in a fresh temp folder. */
export async function createTestPki(): Promise<TestPki> {
  const tmp = await tempDir('certgate-pki-');
  const dir = tmp.path;
  let serial = 0;
  const unique = (stem: string): string => `${String(++serial).padStart(2, '0')}-${stem.replace(/[^A-Za-z0-9._-]/g, '_')}`;

  async function load(name: string): Promise<CertFiles> {
    const certPath = path.join(dir, `${name}.crt`);
    const keyPath = path.join(dir, `${name}.key`);
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    const x509 = new X509Certificate(certPem);
    return { name, certPem, keyPem, certPath, keyPath, thumbprint: x509.fingerprint.replace(/:/g, ''), subject: x509.subject };
  }

  async function createCa(cn: string, keyType: TestKeyType = 'rsa'): Promise<TestCa> {
    const name = unique(`ca-${cn}`);
    await run('openssl', [
      'req', '-x509', ...keyArgs(keyType), '-noenc', '-days', '30', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout', path.join(dir, `${name}.key`), '-out', path.join(dir, `${name}.crt`),
    ]);
    return load(name);
  }

  async function issue(options: IssueOptions, extensions: string[], issuer: TestCa): Promise<CertFiles> {
    const name = unique(options.cn);
    const base = path.join(dir, name);
    await run('openssl', ['req', ...keyArgs(options.keyType ?? 'rsa'), '-noenc', '-subj', `/CN=${options.cn}`, '-keyout', `${base}.key`, '-out', `${base}.csr`]);
    await writeFile(`${base}.ext`, `${extensions.join('\n')}\n`);
    await run('openssl', [
      'x509', '-req', '-in', `${base}.csr`, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', `0x${Date.now().toString(16)}${serial}`,
      '-days', String(options.days ?? 30), '-extfile', `${base}.ext`, '-out', `${base}.crt`,
    ]);
    return load(name);
  }

  const ca = await createCa('CertGate Test CA');
  const serverExtensions = (dnsNames: readonly string[], ips: readonly string[]): string[] => [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${[...dnsNames.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)].join(',')}`,
  ];
  const server = await issue({ cn: 'localhost' }, serverExtensions(['localhost'], ['127.0.0.1']), ca);

  return {
    dir,
    ca,
    server,
    createCa,
    issueClient: (options) =>
      issue(options, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'], options.ca ?? ca),
    issueServer: (options) => issue(options, serverExtensions(options.dnsNames ?? ['localhost'], options.ips ?? ['127.0.0.1']), options.ca ?? ca),
    async exportPfx(cert, options) {
      const out = path.join(dir, `${unique(cert.name)}.pfx`);
      await run('openssl', [
        'pkcs12', '-export', ...(options.legacy ? ['-legacy'] : []), '-in', cert.certPath, '-inkey', cert.keyPath,
        ...(options.chain ? ['-certfile', options.chain.certPath] : []), '-out', out, '-passout', `pass:${options.password}`,
      ]);
      return { path: out, data: await readFile(out) };
    },
    remove: () => tmp.remove(),
  };
}
