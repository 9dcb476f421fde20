/**
 * Password-based encryption schemes of PKCS #12 and PKCS #8: PBES2 (PBKDF2 + AES/3DES/DES/RC2), the
 * PKCS #12 PBE schemes (SHA-1 with RC2, RC4, 3DES) and PBES1. Parsing a scheme checks its iteration count
 * before anything is derived; deriving never blocks the event loop (async PBKDF2, paced KDF loops).
 */
import { createHash, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { decryptWith, type CipherSpec } from './ciphers';
import { isUniversal, octets, oid, sequence, smallInteger, TAG, unsignedInteger, type Der } from './der';
import { DAMAGED, refuse } from './errors';
import { pkcs12Kdf, type PasswordForm } from './kdf';
import { checkIterations, countDerivation, kdfRounds, type ParseContext } from './limits';
import { DIGESTS, HMAC_SHA1, HMACS, OID, type DigestSpec } from './oids';
import type { WeakReason } from './protection';

const pbkdf2Async = promisify(pbkdf2);

/** A parsed encryption scheme, ready to decrypt with a password. */
export interface PbeScheme {
  /** e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC", "pbeWithSHAAnd40BitRC2-CBC". */
  readonly name: string;
  readonly iterations: number;
  /** The hash rounds one decryption derives (its share of the parse's budget). */
  readonly rounds: number;
  readonly weakReasons: readonly WeakReason[];
  /** Decrypt; throws `DecryptFailure` when the result is garbage (a wrong password). */
  decrypt(form: PasswordForm, data: Uint8Array, ctx: ParseContext): Promise<Buffer>;
}

const SHA1 = DIGESTS['1.3.14.3.2.26']!;

const aes = (bits: number): CipherSpec => ({ label: `AES-${bits}-CBC`, kind: 'aes', keyLength: bits / 8, ivLength: 16 });
const DES3: CipherSpec = { label: 'DES-EDE3-CBC', kind: 'des', keyLength: 24, ivLength: 8 };
const DES: CipherSpec = { label: 'DES-CBC', kind: 'des', keyLength: 8, ivLength: 8 };

const PKCS12_PBE: Readonly<Record<string, { name: string; cipher: CipherSpec }>> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4', cipher: { label: 'RC4', kind: 'rc4', keyLength: 16, ivLength: 0 } },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4', cipher: { label: 'RC4', kind: 'rc4', keyLength: 5, ivLength: 0 } },
  '1.2.840.113549.1.12.1.3': { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', cipher: DES3 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', cipher: { ...DES3, label: 'DES-EDE-CBC', keyLength: 16 } },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC', cipher: { label: 'RC2-CBC', kind: 'rc2', keyLength: 16, ivLength: 8, rc2Bits: 128 } },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', cipher: { label: 'RC2-CBC', kind: 'rc2', keyLength: 5, ivLength: 8, rc2Bits: 40 } },
};

const RC2_64: CipherSpec = { label: 'RC2-CBC', kind: 'rc2', keyLength: 8, ivLength: 8, rc2Bits: 64 };
const PBES1: Readonly<Record<string, { name: string; digest: string; cipher: CipherSpec }>> = {
  '1.2.840.113549.1.5.3': { name: 'pbeWithMD5AndDES-CBC', digest: 'md5', cipher: DES },
  '1.2.840.113549.1.5.6': { name: 'pbeWithMD5AndRC2-CBC', digest: 'md5', cipher: RC2_64 },
  '1.2.840.113549.1.5.10': { name: 'pbeWithSHA1AndDES-CBC', digest: 'sha1', cipher: DES },
  '1.2.840.113549.1.5.11': { name: 'pbeWithSHA1AndRC2-CBC', digest: 'sha1', cipher: RC2_64 },
};

function cipherWeakness(cipher: CipherSpec): WeakReason[] {
  switch (cipher.kind) {
    case 'rc2':
      return ['rc2'];
    case 'rc4':
      return ['rc4'];
    case 'des':
      return ['des'];
    case 'aes':
      return [];
  }
}

function weakness(cipher: CipherSpec, iterations: number): WeakReason[] {
  return [...cipherWeakness(cipher), ...(iterations < 2000 ? (['few-iterations'] as const) : [])];
}

function unsupported(what: string): never {
  return refuse('unsupported-algorithm', `CertGate cannot open {file}: it is encrypted with ${what}, which CertGate does not support.`);
}

/** Parse an encryption AlgorithmIdentifier; refuses unknown algorithms and excessive iteration counts. */
export function parsePbe(algorithm: Der | undefined): PbeScheme {
  const [idNode, params] = sequence(algorithm, 1);
  const id = oid(idNode);
  if (id === OID.pbes2) return parsePbes2(params);
  const p12 = PKCS12_PBE[id];
  if (p12) return pkcs12Scheme(p12.name, p12.cipher, params);
  const p1 = PBES1[id];
  if (p1) return pbes1Scheme(p1.name, p1.digest, p1.cipher, params);
  return unsupported(`an unknown scheme (${id})`);
}

function saltAndCount(params: Der | undefined): { salt: Uint8Array; iterations: number } {
  const [saltNode, countNode] = sequence(params, 2);
  return { salt: octets(saltNode), iterations: checkIterations(unsignedInteger(countNode)) };
}

function pkcs12Scheme(name: string, cipher: CipherSpec, params: Der | undefined): PbeScheme {
  const { salt, iterations } = saltAndCount(params);
  const rounds = kdfRounds(iterations, cipher.keyLength, SHA1.size) + (cipher.ivLength > 0 ? kdfRounds(iterations, cipher.ivLength, SHA1.size) : 0);
  return {
    name,
    iterations,
    rounds,
    weakReasons: weakness(cipher, iterations),
    async decrypt(form, data, ctx) {
      countDerivation(ctx, rounds);
      const key = await pkcs12Kdf(SHA1, form.bmp, salt, 1, iterations, cipher.keyLength, ctx.pacer);
      const iv = cipher.ivLength > 0 ? await pkcs12Kdf(SHA1, form.bmp, salt, 2, iterations, cipher.ivLength, ctx.pacer) : Buffer.alloc(0);
      return decryptWith(cipher, key, iv, data, ctx.pacer);
    },
  };
}

function pbes1Scheme(name: string, digest: string, cipher: CipherSpec, params: Der | undefined): PbeScheme {
  const { salt, iterations } = saltAndCount(params);
  if (salt.length !== 8) refuse('invalid-format', DAMAGED, 'PBES1 salt');
  return {
    name,
    iterations,
    rounds: iterations,
    weakReasons: weakness(cipher, iterations),
    async decrypt(form, data, ctx) {
      countDerivation(ctx, iterations);
      let dk = createHash(digest).update(form.utf8).update(salt).digest();
      for (let i = 1; i < iterations; i++) {
        dk = createHash(digest).update(dk).digest();
        if ((i & 0xff) === 0) await ctx.pacer.pace();
      }
      return decryptWith(cipher, dk.subarray(0, 8), dk.subarray(8, 16), data, ctx.pacer);
    },
  };
}

/** PBKDF2 parameters, shared by PBES2 and PBMAC1. */
export interface Pbkdf2Params {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly keyLength: number | null;
  readonly prf: DigestSpec;
}

/** Parse a PBKDF2 AlgorithmIdentifier (refusing scrypt and other KDFs, and excessive iteration counts). */
export function parsePbkdf2(kdf: Der | undefined): Pbkdf2Params {
  const [kdfId, kdfParams] = sequence(kdf, 1);
  const id = oid(kdfId);
  if (id === OID.scrypt) unsupported('a key derived by scrypt');
  if (id !== OID.pbkdf2) unsupported(`an unknown key derivation (${id})`);
  const fields = sequence(kdfParams, 2);
  if (!isUniversal(fields[0], TAG.OCTET_STRING)) unsupported('a PBKDF2 salt from another source');
  const salt = octets(fields[0]);
  const iterations = checkIterations(unsignedInteger(fields[1]));
  let rest = fields.slice(2);
  let keyLength: number | null = null;
  if (isUniversal(rest[0], TAG.INTEGER)) {
    keyLength = smallInteger(rest[0]);
    rest = rest.slice(1);
  }
  let prf = HMACS[HMAC_SHA1]!;
  if (rest[0] !== undefined) {
    const prfId = oid(sequence(rest[0], 1)[0]);
    const spec = HMACS[prfId];
    if (!spec) unsupported(`an unknown PBKDF2 function (${prfId})`);
    prf = spec;
  }
  return { salt, iterations, keyLength, prf };
}

/** Derive a PBKDF2 key on libuv's thread pool (never on the event loop). */
export async function derivePbkdf2(password: Uint8Array, params: Pbkdf2Params, length: number): Promise<Buffer> {
  return pbkdf2Async(password, params.salt, params.iterations, length, params.prf.node);
}

const PBES2_CIPHERS: Readonly<Record<string, CipherSpec>> = {
  '2.16.840.1.101.3.4.1.2': aes(128),
  '2.16.840.1.101.3.4.1.22': aes(192),
  '2.16.840.1.101.3.4.1.42': aes(256),
  '1.2.840.113549.3.7': DES3,
  '1.3.14.3.2.7': DES,
};
const RC2_CBC = '1.2.840.113549.3.2';

function rc2Bits(version: bigint): number {
  if (version === 160n) return 40;
  if (version === 120n) return 64;
  if (version === 58n) return 128;
  if (version >= 256n && version <= 1024n) return Number(version);
  return refuse('invalid-format', DAMAGED, 'RC2 version');
}

function parsePbes2(params: Der | undefined): PbeScheme {
  const [kdf, encryption] = sequence(params, 2);
  const pbkdf2Params = parsePbkdf2(kdf);
  const [cipherId, cipherParams] = sequence(encryption, 1);
  const id = oid(cipherId);
  let cipher = PBES2_CIPHERS[id];
  let iv: Uint8Array;
  if (cipher) {
    iv = octets(cipherParams);
  } else if (id === RC2_CBC) {
    const fields = sequence(cipherParams, 1);
    const bits = fields.length > 1 ? rc2Bits(unsignedInteger(fields[0])) : 32;
    const keyLength = pbkdf2Params.keyLength ?? 16;
    cipher = { label: 'RC2-CBC', kind: 'rc2', keyLength, ivLength: 8, rc2Bits: bits };
    iv = octets(fields[fields.length - 1]);
  } else {
    return unsupported(`an unknown cipher (${id})`);
  }
  if (cipher.kind !== 'rc2' && pbkdf2Params.keyLength !== null && pbkdf2Params.keyLength !== cipher.keyLength) {
    refuse('invalid-format', DAMAGED, 'PBES2 key length');
  }
  if (cipher.keyLength < 1 || cipher.keyLength > 128) refuse('invalid-format', DAMAGED, 'PBES2 key length');
  const spec = cipher;
  const rounds = kdfRounds(pbkdf2Params.iterations, spec.keyLength, pbkdf2Params.prf.size);
  return {
    name: `PBES2/PBKDF2-HMAC-${pbkdf2Params.prf.label}/${spec.label}`,
    iterations: pbkdf2Params.iterations,
    rounds,
    weakReasons: weakness(spec, pbkdf2Params.iterations),
    async decrypt(form, data, ctx) {
      countDerivation(ctx, rounds);
      const key = await derivePbkdf2(form.utf8, pbkdf2Params, spec.keyLength);
      ctx.pacer.check();
      return decryptWith(spec, key, iv, data, ctx.pacer);
    },
  };
}
