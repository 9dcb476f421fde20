/**
 * Writes modern certificate files from a stored key and chain: PKCS #12 as OpenSSL 3 writes it by default
 * (PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the key and the certificates, an HMAC-SHA256 MAC), and
 * PKCS #8 keys encrypted the same way for PEM. Any key type Node reads (RSA, EC, Ed25519): the DER is built
 * here, so no legacy cipher (RC2, 3DES) and no node-forge is involved, and every tool that reads OpenSSL 3's
 * default files (Node's TLS, OpenSSL without its legacy provider, Windows 10+, macOS, Java 11+) reads these.
 */
import { createHash, createCipheriv, createHmac, createPrivateKey, pbkdf2, randomBytes, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { passwordForms, pkcs12Kdf } from './kdf';
import { OID } from './oids';
import { newPacer } from './pacer';
import { pemBlocks } from './pem';

const pbkdf2Async = promisify(pbkdf2);

/**
 * PBKDF2 and MAC iterations of the files we write. OpenSSL 3 writes 2048, which costs a guesser little: an
 * exported file leaves this machine, and its password is guessed offline, through the MAC as easily as
 * through the key. 100,000 makes each guess about 50 times dearer while opening stays quick (three
 * derivations of a few tens of milliseconds each: Node's `tls.createSecureContext` runs them synchronously,
 * so OWASP's 600,000 for stored password hashes would stall a caller's event loop for about a second), and
 * stays far inside what readers accept (CertGate's own limit is 10,000,000 a step).
 */
export const EXPORT_ITERATIONS = 100_000;

const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

// ------------------------------------------------------------------------------------------ DER encoding

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const seq = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
const setOf = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (content: Uint8Array): Buffer => tlv(0x04, content);
const explicit0 = (content: Uint8Array): Buffer => tlv(0xa0, content);
const NULL = Buffer.from([0x05, 0x00]);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function bmpString(text: string): Buffer {
  const out = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) out.writeUInt16BE(text.charCodeAt(i), i * 2);
  return tlv(0x1e, out);
}

// ------------------------------------------------------------------------------------------ encryption

/** PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) over `plain`: the AlgorithmIdentifier and the ciphertext. */
async function pbes2Encrypt(plain: Uint8Array, password: string, iterations: number): Promise<{ algorithm: Buffer; encrypted: Buffer }> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  // PBES2 takes the password's UTF-8 octets, as OpenSSL does for PKCS #12 and PKCS #8 alike.
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const algorithm = seq(
    oid(OID.pbes2),
    seq(
      seq(oid(OID.pbkdf2), seq(octets(salt), integer(iterations), seq(oid(OID_HMAC_SHA256), NULL))),
      seq(oid(OID_AES256_CBC), octets(iv)),
    ),
  );
  return { algorithm, encrypted };
}

/** An EncryptedPrivateKeyInfo (PKCS #8) of a PKCS #8 key, DER. */
async function encryptedPrivateKeyInfo(pkcs8: Uint8Array, password: string, iterations: number): Promise<Buffer> {
  const { algorithm, encrypted } = await pbes2Encrypt(pkcs8, password, iterations);
  return seq(algorithm, octets(encrypted));
}

// ------------------------------------------------------------------------------------------ the files

/** The certificates of a PEM chain, DER, in their order (the leaf first). */
export function chainDers(chainPem: string): Buffer[] {
  return pemBlocks(chainPem)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => Buffer.from(b.der));
}

function pkcs8Der(keyPem: string): Buffer {
  return createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' });
}

/** Options of a PKCS #12 file. */
export interface Pkcs12Options {
  readonly password: string;
  /** Kept on the key and the leaf (Windows shows it); none when null. */
  readonly friendlyName: string | null;
  readonly iterations?: number;
}

/**
 * A PKCS #12 file with the key (shrouded: PBES2), the leaf and the rest of the chain (in one PBES2 encrypted
 * part), localKeyId on the key and leaf, and an HMAC-SHA256 MAC: the layout of `openssl pkcs12 -export`.
 */
export async function writePkcs12(keyPem: string, chainPem: string, options: Pkcs12Options): Promise<Buffer> {
  const iterations = options.iterations ?? EXPORT_ITERATIONS;
  const certs = chainDers(chainPem);
  if (certs.length === 0) throw new Error('The certificate chain is empty.');
  const leaf = certs[0]!;
  const localKeyId = createHash('sha1').update(leaf).digest();
  const leafAttributes = setOf(
    ...(options.friendlyName !== null ? [seq(oid(OID.friendlyName), setOf(bmpString(options.friendlyName)))] : []),
    seq(oid(OID.localKeyId), setOf(octets(localKeyId))),
  );

  const certBags = certs.map((der, i) =>
    seq(oid(OID.certBag), explicit0(seq(oid(OID.x509Certificate), explicit0(octets(der)))), ...(i === 0 ? [leafAttributes] : [])),
  );
  const certPart = await pbes2Encrypt(seq(...certBags), options.password, iterations);
  const encryptedData = seq(
    oid(OID.encryptedData),
    explicit0(seq(integer(0), seq(oid(OID.data), certPart.algorithm, tlv(0x80, certPart.encrypted)))),
  );

  const shrouded = await encryptedPrivateKeyInfo(pkcs8Der(keyPem), options.password, iterations);
  const keyBag = seq(oid(OID.pkcs8ShroudedKeyBag), explicit0(shrouded), leafAttributes);
  const keyData = seq(oid(OID.data), explicit0(octets(seq(keyBag))));

  const authSafe = seq(encryptedData, keyData);
  const macSalt = randomBytes(16);
  // The classic MAC's key comes from the PKCS #12 KDF over the password as a BMPString (RFC 7292 B).
  const bmpPassword = passwordForms(options.password)[0]!.bmp;
  const sha256 = { node: 'sha256', label: 'SHA256', size: 32, block: 64 };
  const macKey = await pkcs12Kdf(sha256, bmpPassword, macSalt, 3, iterations, 32, newPacer());
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = seq(seq(seq(oid(OID_SHA256), NULL), octets(mac)), octets(macSalt), integer(iterations));

  return seq(integer(3), seq(oid(OID.data), explicit0(octets(authSafe))), macData);
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** The chain as PEM, leaf first, and (when `key`) the PKCS #8 key after it, encrypted when a password is given. */
export async function writePem(keyPem: string | null, chainPem: string, password: string | undefined, iterations = EXPORT_ITERATIONS): Promise<string> {
  const chain = chainDers(chainPem).map((der) => pem('CERTIFICATE', der)).join('');
  if (keyPem === null) return chain;
  const der = pkcs8Der(keyPem);
  const key = password !== undefined && password !== '' ? pem('ENCRYPTED PRIVATE KEY', await encryptedPrivateKeyInfo(der, password, iterations)) : pem('PRIVATE KEY', der);
  return chain + key;
}

/** The leaf certificate, DER (a `.cer` file). */
export function leafDer(chainPem: string): Buffer {
  const leaf = chainDers(chainPem)[0];
  if (!leaf) throw new Error('The certificate chain is empty.');
  // Parse once: a damaged vault entry fails here, not in the operator's tool.
  return Buffer.from(new X509Certificate(leaf).raw);
}
