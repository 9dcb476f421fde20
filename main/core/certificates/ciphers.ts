/**
 * The symmetric ciphers of PKCS #12 and PKCS #8 files, decrypting in pieces so large payloads never
 * block the event loop. Node's OpenSSL 3 (and Electron's BoringSSL) does AES and Triple DES; RC2 and RC4
 * live in OpenSSL's legacy provider, which Node does not load, so RC2 comes from node-forge and RC4 is
 * written out here. Single DES is Triple DES with three equal keys (EDE collapses to one encryption).
 */
import { createDecipheriv } from 'node:crypto';
import { DAMAGED, refuse } from './errors';
import { feed, type Pacer } from './pacer';

/** A symmetric cipher used by a password-based encryption scheme. */
export interface CipherSpec {
  /** e.g. "AES-256-CBC", "DES-EDE3-CBC", "RC2-CBC", "RC4". */
  readonly label: string;
  readonly kind: 'aes' | 'des' | 'rc2' | 'rc4';
  readonly keyLength: number;
  readonly ivLength: number;
  /** RC2's effective key bits. */
  readonly rc2Bits?: number;
}

/** Decryption produced garbage (bad padding): almost always a wrong password. */
export class DecryptFailure extends Error {
  constructor() {
    super('decryption failed');
    this.name = 'DecryptFailure';
  }
}

/** Decrypt `data` (CBC with PKCS #7 padding, or RC4), checking the padding strictly. */
export async function decryptWith(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array, pacer: Pacer): Promise<Buffer> {
  if (spec.kind === 'rc4') return rc4(key, data, pacer);
  const blockSize = spec.kind === 'aes' ? 16 : 8;
  if (data.length === 0 || data.length % blockSize !== 0) refuse('invalid-format', DAMAGED, 'ciphertext length');
  if (iv.length !== blockSize) refuse('invalid-format', DAMAGED, 'IV length');
  const plain = spec.kind === 'rc2' ? await rc2Cbc(key, iv, data, spec.rc2Bits ?? key.length * 8, pacer) : await nodeCbc(spec, key, iv, data, pacer);
  return unpad(plain, blockSize);
}

async function nodeCbc(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array, pacer: Pacer): Promise<Buffer> {
  let algorithm: string;
  let fullKey: Uint8Array = key;
  if (spec.kind === 'aes') {
    algorithm = `aes-${key.length * 8}-cbc`;
  } else {
    algorithm = 'des-ede3-cbc';
    // Two-key Triple DES is K1 K2 K1; single DES is K K K.
    if (key.length === 16) fullKey = Buffer.concat([key, key.subarray(0, 8)]);
    else if (key.length === 8) fullKey = Buffer.concat([key, key, key]);
  }
  const decipher = createDecipheriv(algorithm, fullKey, iv);
  decipher.setAutoPadding(false);
  const parts: Buffer[] = [];
  await feed(data, (piece) => parts.push(decipher.update(piece)), pacer);
  parts.push(decipher.final());
  return Buffer.concat(parts);
}

/** node-forge takes ~50 ms to load: only files with RC2 (legacy exports) pay for it, once. */
let forgeModule: Promise<typeof import('node-forge')> | undefined;

async function rc2Cbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, bits: number, pacer: Pacer): Promise<Buffer> {
  forgeModule ??= import('node-forge').then((m) => ('default' in m ? (m.default as typeof import('node-forge')) : m));
  const forge = await forgeModule;
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(Buffer.from(key).toString('binary')), bits);
  cipher.start(forge.util.createBuffer(Buffer.from(iv).toString('binary')));
  const parts: Buffer[] = [];
  // forge is plain JavaScript: small pieces keep each slice short.
  await feed(
    data,
    (piece) => {
      cipher.update(forge.util.createBuffer(Buffer.from(piece).toString('binary')));
      parts.push(Buffer.from(cipher.output.getBytes(), 'binary'));
    },
    pacer,
    16 * 1024,
  );
  // Our own padding check follows, so forge must not strip anything.
  cipher.finish(() => true);
  parts.push(Buffer.from(cipher.output.getBytes(), 'binary'));
  return Buffer.concat(parts);
}

async function rc4(key: Uint8Array, data: Uint8Array, pacer: Pacer): Promise<Buffer> {
  if (key.length === 0) refuse('invalid-format', DAMAGED, 'RC4 key');
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  let i = 0;
  let j = 0;
  let pos = 0;
  await feed(
    data,
    (piece) => {
      for (const byte of piece) {
        i = (i + 1) & 0xff;
        j = (j + s[i]!) & 0xff;
        [s[i], s[j]] = [s[j]!, s[i]!];
        out[pos++] = byte ^ s[(s[i]! + s[j]!) & 0xff]!;
      }
    },
    pacer,
    64 * 1024,
  );
  return out;
}

function unpad(plain: Buffer, blockSize: number): Buffer {
  const count = plain[plain.length - 1] ?? 0;
  if (count < 1 || count > blockSize || count > plain.length) throw new DecryptFailure();
  for (let k = plain.length - count; k < plain.length; k++) if (plain[k] !== count) throw new DecryptFailure();
  return plain.subarray(0, plain.length - count);
}
