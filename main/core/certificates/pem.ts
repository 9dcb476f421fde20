/**
 * Reads PEM files: certificates (any order), and a private key as PKCS #8 (clear or encrypted) or in the
 * traditional OpenSSL forms ("RSA PRIVATE KEY", "EC PRIVATE KEY", optionally with a Proc-Type/DEK-Info
 * password). Encrypted keys are decrypted by our own paced code, never by OpenSSL on the event loop.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { DecryptFailure, decryptWith, type CipherSpec } from './ciphers';
import { octets, readDer, sequence, type DerBudget } from './der';
import { DAMAGED, refuse } from './errors';
import type { CertEntry, Extracted, KeyEntry } from './extracted';
import { passwordForms, type PasswordForm } from './kdf';
import { countDerivation, type ParseContext } from './limits';
import { badPassword, checkPkcs8Shape } from './passwords';
import { parsePbe, type PbeScheme } from './pbe';

/** One PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly der: Buffer;
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** True when the text holds at least one PEM block marker. */
export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/** Split PEM text into blocks (linear time whatever the input; an unterminated block is refused). */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', pos);
    if (begin < 0) return blocks;
    const labelEnd = text.indexOf('-----', begin + 11);
    const label = labelEnd < 0 ? '' : text.slice(begin + 11, labelEnd);
    if (!/^[A-Z0-9 ]{1,64}$/.test(label)) refuse('invalid-format', DAMAGED, 'PEM label');
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, labelEnd + 5);
    if (end < 0) refuse('invalid-format', DAMAGED, 'PEM block not terminated');
    blocks.push(parseBlock(label, text.slice(labelEnd + 5, end)));
    pos = end + endMarker.length;
  }
}

function parseBlock(label: string, body: string): PemBlock {
  const lines = body.split(/\r?\n|\r/).map((l) => l.trim());
  const headers = new Map<string, string>();
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  if (lines[i]?.includes(':')) {
    for (; i < lines.length && lines[i] !== ''; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  const base64 = lines.slice(i).join('');
  if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) refuse('invalid-format', DAMAGED, 'PEM base64');
  return { label, headers, der: Buffer.from(base64, 'base64') };
}

/** The DER of a certificate block (without OpenSSL's trust settings); null for other blocks. */
export function certificateDer(block: PemBlock, budget: DerBudget): Uint8Array | null {
  if (!CERT_LABELS.has(block.label)) return null;
  // A TRUSTED CERTIFICATE carries OpenSSL trust settings after the certificate itself.
  return block.label === 'TRUSTED CERTIFICATE' ? readDer(block.der, budget, true).bytes : block.der;
}

/** The schemes of the encrypted keys in PEM blocks, parsed without deriving anything (for an estimate). */
export function encryptedKeySchemes(blocks: readonly PemBlock[], budget: DerBudget): PbeScheme[] {
  const schemes: PbeScheme[] = [];
  for (const block of blocks) {
    if (block.label === 'ENCRYPTED PRIVATE KEY') schemes.push(parsePbe(sequence(readDer(block.der, budget), 2)[0]));
    else if (/^(RSA|EC) PRIVATE KEY$/.test(block.label) && block.headers.get('proc-type')?.includes('ENCRYPTED')) {
      schemes.push(legacyScheme(block.headers.get('dek-info') ?? ''));
    }
  }
  return schemes;
}

/** Read PEM blocks into certificates and decrypted keys. */
export async function readPem(blocks: readonly PemBlock[], password: string | undefined, ctx: ParseContext): Promise<Extracted> {
  const certs: CertEntry[] = [];
  const keys: KeyEntry[] = [];
  const encrypted: { scheme: PbeScheme; data: Uint8Array; finish: (plain: Buffer) => Uint8Array }[] = [];
  for (const block of blocks) {
    const der = certificateDer(block, ctx.budget);
    if (der) {
      certs.push({ der, friendlyName: null, localKeyId: null });
    } else if (block.label === 'PRIVATE KEY') {
      keys.push({ pkcs8: block.der, friendlyName: null, localKeyId: null, scheme: null });
    } else if (block.label === 'ENCRYPTED PRIVATE KEY') {
      const [algorithm, data] = sequence(readDer(block.der, ctx.budget), 2);
      encrypted.push({ scheme: parsePbe(algorithm), data: octets(data), finish: (plain) => plain });
    } else if (block.label === 'RSA PRIVATE KEY' || block.label === 'EC PRIVATE KEY') {
      const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'sec1';
      if (block.headers.get('proc-type')?.includes('ENCRYPTED')) {
        encrypted.push({ scheme: legacyScheme(block.headers.get('dek-info') ?? ''), data: block.der, finish: (plain) => toPkcs8(plain, type) });
      } else {
        keys.push({ pkcs8: toPkcs8(block.der, type, false), friendlyName: null, localKeyId: null, scheme: null });
      }
    } else if (/PRIVATE KEY$/.test(block.label)) {
      refuse('unsupported-algorithm', `CertGate cannot use the key in {file}: it is a "${block.label}", and CertGate supports RSA, EC and Ed25519 keys in PKCS #8 or OpenSSL form.`);
    }
  }
  if (encrypted.length > 0) keys.push(...(await decryptKeys(encrypted, password, ctx)));
  return { format: 'pem', certs, keys, certSchemes: [], mac: null };
}

async function decryptKeys(
  encrypted: readonly { scheme: PbeScheme; data: Uint8Array; finish: (plain: Buffer) => Uint8Array }[],
  password: string | undefined,
  ctx: ParseContext,
): Promise<KeyEntry[]> {
  for (const form of passwordForms(password)) {
    try {
      const keys: KeyEntry[] = [];
      for (const item of encrypted) {
        const pkcs8 = item.finish(await item.scheme.decrypt(form, item.data, ctx));
        checkPkcs8Shape(pkcs8, ctx);
        keys.push({ pkcs8, friendlyName: null, localKeyId: null, scheme: item.scheme });
      }
      return keys;
    } catch (err) {
      if (!(err instanceof DecryptFailure)) throw err;
    }
  }
  return badPassword(password);
}

/** Convert a traditional key to PKCS #8; garbage after decryption means a wrong password. */
function toPkcs8(der: Uint8Array, type: 'pkcs1' | 'sec1', decrypted = true): Uint8Array {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type }).export({ format: 'der', type: 'pkcs8' });
  } catch {
    if (decrypted) throw new DecryptFailure();
    return refuse('invalid-format', 'CertGate cannot read the private key in {file}: it is damaged.', 'traditional key');
  }
}

const LEGACY_CIPHERS: Readonly<Record<string, CipherSpec>> = {
  'AES-128-CBC': { label: 'AES-128-CBC', kind: 'aes', keyLength: 16, ivLength: 16 },
  'AES-192-CBC': { label: 'AES-192-CBC', kind: 'aes', keyLength: 24, ivLength: 16 },
  'AES-256-CBC': { label: 'AES-256-CBC', kind: 'aes', keyLength: 32, ivLength: 16 },
  'DES-EDE3-CBC': { label: 'DES-EDE3-CBC', kind: 'des', keyLength: 24, ivLength: 8 },
  'DES-CBC': { label: 'DES-CBC', kind: 'des', keyLength: 8, ivLength: 8 },
};

/** OpenSSL's traditional PEM encryption: key = EVP_BytesToKey(MD5, one iteration, salt = IV[0..8]). */
function legacyScheme(dekInfo: string): PbeScheme {
  const [cipherName = '', ivHex = ''] = dekInfo.split(',').map((s) => s.trim());
  const cipher = LEGACY_CIPHERS[cipherName.toUpperCase()];
  if (!cipher) {
    return refuse('unsupported-algorithm', `CertGate cannot open {file}: its key is encrypted with ${cipherName.slice(0, 40) || 'an unnamed cipher'}, which CertGate does not support.`);
  }
  if (!/^[0-9A-Fa-f]+$/.test(ivHex) || ivHex.length !== cipher.ivLength * 2) refuse('invalid-format', DAMAGED, 'DEK-Info IV');
  const iv = Buffer.from(ivHex, 'hex');
  return {
    name: `OpenSSL-PEM/MD5/${cipher.label}`,
    iterations: 1,
    rounds: 1,
    weakReasons: [...(cipher.kind === 'des' ? (['des'] as const) : []), 'few-iterations'],
    async decrypt(form: PasswordForm, data: Uint8Array, ctx: ParseContext) {
      countDerivation(ctx, 1);
      const parts: Buffer[] = [];
      let previous = Buffer.alloc(0);
      while (parts.reduce((n, p) => n + p.length, 0) < cipher.keyLength) {
        previous = createHash('md5').update(previous).update(form.utf8).update(iv.subarray(0, 8)).digest();
        parts.push(previous);
      }
      return decryptWith(cipher, Buffer.concat(parts).subarray(0, cipher.keyLength), iv, data, ctx.pacer);
    },
  };
}
