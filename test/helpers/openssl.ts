import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A self-signed client certificate made with OpenSSL 3: its PFX bytes and PEM parts. */
export interface MadeCertificate {
  readonly pfx: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
  readonly pfxPath: string;
}

/** Make a self-signed RSA client certificate and its PFX (OpenSSL 3 defaults) in `dir`. */
export function makeClientPfx(dir: string, name: string, password: string, options: { days?: number } = {}): MadeCertificate {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  const pfx = path.join(dir, `${name}.pfx`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-noenc', '-keyout', key, '-out', crt, '-days', String(options.days ?? 30), '-subj', `/O=CertGate Tests/CN=${name}`], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', pfx, '-passout', `pass:${password}`, '-name', name], { stdio: 'ignore' });
  return { pfx: readFileSync(pfx), certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8'), pfxPath: pfx };
}

/** The SHA-1 thumbprint of a PEM certificate, upper-case hex. */
export function thumbprintOf(certPem: string): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: certPem }).toString();
  return out.split('=')[1]!.trim().replace(/:/g, '');
}
