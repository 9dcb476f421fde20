/**
 * Password forms and the PKCS #12 key derivation function (RFC 7292 appendix B.2), which legacy PBE
 * schemes and the classic HMAC integrity check use. The KDF iterates a hash thousands to millions of times;
 * it runs in slices (see `pacer.ts`) so it never blocks the event loop for long.
 */
import * as nodeCrypto from 'node:crypto';
import type { DigestSpec } from './oids';
import type { Pacer } from './pacer';

/** One way to encode the caller's password. PKCS #12 distinguishes an absent password from an empty one. */
export interface PasswordForm {
  readonly kind: 'given' | 'empty' | 'absent';
  /** For PBKDF2 (PBES2, PBMAC1) and PBES1: the UTF-8 octets. */
  readonly utf8: Uint8Array;
  /** For the PKCS #12 KDF: a BMPString (UTF-16BE) with two zero octets at the end; nothing when absent. */
  readonly bmp: Uint8Array;
}

function bmpOf(password: string): Uint8Array {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/**
 * The password forms to try, best guess first. An empty or missing password is tried both as "absent"
 * (no octets) and as "empty" (two zero octets): exports such as Windows Azure Tools' use the absent form.
 */
export function passwordForms(password: string | undefined): readonly PasswordForm[] {
  const absent: PasswordForm = { kind: 'absent', utf8: new Uint8Array(0), bmp: new Uint8Array(0) };
  const empty: PasswordForm = { kind: 'empty', utf8: new Uint8Array(0), bmp: bmpOf('') };
  if (password === undefined) return [absent, empty];
  if (password === '') return [empty, absent];
  return [{ kind: 'given', utf8: Buffer.from(password, 'utf8'), bmp: bmpOf(password) }];
}

/** The purpose octet of RFC 7292 B.3: 1 = key, 2 = IV, 3 = MAC key. */
export type KdfPurpose = 1 | 2 | 3;

const oneShot: ((algorithm: string, data: Uint8Array) => Buffer) | undefined =
  typeof nodeCrypto.hash === 'function' ? (algorithm, data) => nodeCrypto.hash(algorithm, data, 'buffer') : undefined;

function digestOnce(algorithm: string, data: Uint8Array): Buffer {
  return oneShot ? oneShot(algorithm, data) : nodeCrypto.createHash(algorithm).update(data).digest();
}

function repeatTo(source: Uint8Array, blockSize: number): Buffer {
  if (source.length === 0) return Buffer.alloc(0);
  const out = Buffer.alloc(blockSize * Math.ceil(source.length / blockSize));
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
  return out;
}

/** Derive `length` octets with the PKCS #12 KDF (RFC 7292 B.2). */
export async function pkcs12Kdf(
  digest: DigestSpec,
  password: Uint8Array,
  salt: Uint8Array,
  purpose: KdfPurpose,
  iterations: number,
  length: number,
  pacer: Pacer,
): Promise<Buffer> {
  const v = digest.block;
  const diversifier = Buffer.alloc(v, purpose);
  const input = Buffer.concat([repeatTo(salt, v), repeatTo(password, v)]);
  const blocks: Buffer[] = [];
  const count = Math.ceil(length / digest.size);
  for (let i = 0; i < count; i++) {
    let a = digestOnce(digest.node, Buffer.concat([diversifier, input]));
    for (let r = 1; r < iterations; r++) {
      a = digestOnce(digest.node, a);
      if ((r & 0xff) === 0) await pacer.pace();
    }
    blocks.push(a);
    if (i + 1 < count) addToBlocks(input, repeatTo(a, v).subarray(0, v), v);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** Each v-octet block I_j of `input` becomes (I_j + B + 1) mod 2^(8v). */
function addToBlocks(input: Buffer, b: Buffer, v: number): void {
  for (let start = 0; start < input.length; start += v) {
    let carry = 1;
    for (let k = v - 1; k >= 0; k--) {
      const sum = input[start + k]! + b[k]! + carry;
      input[start + k] = sum & 0xff;
      carry = sum >> 8;
    }
  }
}
