import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fail, ok, type Result } from '../../../preload/contract/result';
import { SecretStoreError, type SecretStore } from './secret-store';

/** scrypt's cost: N (a power of two), r, p. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * The cost a new passphrase vault is created with: N = 2^17, r = 8, p = 1 (128 MiB, the OWASP recommendation
 * for scrypt; Argon2id is not in Node 20's crypto). Stored beside the wrapped key, so it can be raised later.
 */
export const SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** The shortest passphrase a new vault accepts. */
export const MIN_PASSPHRASE_LENGTH = 8;

const FORMAT = 'certgate-passphrase-key/1';
const MAX_FILE_BYTES = 4096;

/** The wrapped data key as stored in the data folder (JSON, 0600). */
interface WrappedKeyFile {
  readonly format: typeof FORMAT;
  readonly account: string;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly iv: string;
  readonly tag: string;
  readonly wrapped: string;
}

/**
 * A secret store for machines without an OS keychain (headless servers, containers): the vault's data key is
 * encrypted (AES-256-GCM) under a key derived from a passphrase with scrypt, and kept in one file of the data
 * folder. The passphrase itself is never stored. Until `unlock` is given the passphrase, every call fails
 * with `passphrase-required`; a wrong one is `bad-passphrase` and changes nothing.
 */
export class PassphraseSecretStore implements SecretStore {
  readonly #file: string;
  readonly #cost: ScryptCost;
  #passphrase: string | null = null;
  /** The secret the last unlock decrypted, so the vault's first read does not derive the key again. */
  #cached: { readonly account: string; readonly secret: string } | null = null;

  constructor(file: string, options: { readonly cost?: ScryptCost } = {}) {
    this.#file = file;
    this.#cost = options.cost ?? SCRYPT_COST;
  }

  /** True until a passphrase has been accepted. */
  get locked(): boolean {
    return this.#passphrase === null;
  }

  /** Whether the data folder holds a wrapped key yet (false: the first passphrase given will set it). */
  async hasKey(): Promise<boolean> {
    return (await this.#read()) !== null;
  }

  /**
   * Accept a passphrase: checked against the wrapped key when there is one (`bad-passphrase` when it does not
   * open it); with none yet, it becomes the vault's passphrase when the first key is stored.
   */
  async unlock(passphrase: string): Promise<Result<void>> {
    let stored: WrappedKeyFile | null;
    try {
      stored = await this.#read();
    } catch (err) {
      return fail('store-corrupt', err instanceof Error ? err.message : String(err));
    }
    if (stored === null) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
        return fail('validation', `A new vault passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
      }
      this.#passphrase = passphrase;
      return ok(undefined);
    }
    const secret = await unwrap(stored, passphrase);
    if (secret === null) return fail('bad-passphrase', 'The vault passphrase is wrong for this data folder. Nothing was changed.');
    this.#passphrase = passphrase;
    this.#cached = { account: stored.account, secret };
    return ok(undefined);
  }

  async get(account: string): Promise<string | null> {
    const passphrase = this.#unlocked();
    if (this.#cached?.account === account) return this.#cached.secret;
    const stored = await this.#read();
    if (stored === null || stored.account !== account) return null;
    const secret = await unwrap(stored, passphrase);
    if (secret === null) throw new SecretStoreError('bad-passphrase', 'The vault passphrase is wrong for this data folder. Nothing was changed.');
    this.#cached = { account, secret };
    return secret;
  }

  async set(account: string, secret: string): Promise<void> {
    const passphrase = this.#unlocked();
    const salt = randomBytes(16);
    const kek = await derive(passphrase, salt, this.#cost);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(aad(account));
    const wrapped = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const file: WrappedKeyFile = {
      format: FORMAT,
      account,
      kdf: { name: 'scrypt', ...this.#cost, salt: salt.toString('base64') },
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      wrapped: wrapped.toString('base64'),
    };
    const temp = `${this.#file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.#file);
    this.#cached = { account, secret };
  }

  async delete(account: string): Promise<boolean> {
    this.#unlocked();
    const stored = await this.#read();
    if (stored === null || stored.account !== account) return false;
    await rm(this.#file, { force: true });
    this.#cached = null;
    return true;
  }

  #unlocked(): string {
    if (this.#passphrase === null) {
      throw new SecretStoreError(
        'passphrase-required',
        'This data folder keeps its private keys under a vault passphrase: give it with --vault-passphrase-stdin or CERTGATE_VAULT_PASSPHRASE_FILE (in the desktop app, unlock the vault).',
      );
    }
    return this.#passphrase;
  }

  /** The wrapped key file, null when there is none; throws when it is damaged (never overwritten then). */
  async #read(): Promise<WrappedKeyFile | null> {
    let text: string;
    try {
      const bytes = await readFile(this.#file);
      if (bytes.length > MAX_FILE_BYTES) throw new Error('too large');
      text = bytes.toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SecretStoreError('store-corrupt', `The vault's passphrase key file ${this.#file} cannot be read (${(err as Error).message}).`);
    }
    const parsed = parseWrapped(text);
    if (parsed === null) throw new SecretStoreError('store-corrupt', `The vault's passphrase key file ${this.#file} is damaged; restore it from a backup.`);
    return parsed;
  }
}

/** Bounds on a stored cost: low enough that a crafted file cannot exhaust memory, high enough to mean something. */
function costIsSane({ N, r, p }: ScryptCost): boolean {
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  return powerOfTwo && N >= 2 ** 10 && N <= 2 ** 20 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 4 && 128 * N * r <= 512 * 1024 * 1024;
}

function parseWrapped(text: string): WrappedKeyFile | null {
  try {
    const v = JSON.parse(text) as Partial<WrappedKeyFile>;
    const kdf = v.kdf;
    if (v.format !== FORMAT || typeof v.account !== 'string' || !kdf || kdf.name !== 'scrypt' || typeof kdf.salt !== 'string') return null;
    if (!costIsSane(kdf) || typeof v.iv !== 'string' || typeof v.tag !== 'string' || typeof v.wrapped !== 'string') return null;
    return v as WrappedKeyFile;
  } catch {
    return null;
  }
}

/** The secret, or null when the passphrase does not open it (GCM's tag does not verify). */
async function unwrap(file: WrappedKeyFile, passphrase: string): Promise<string | null> {
  const kek = await derive(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(aad(file.account));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.wrapped, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** scrypt off the event loop (libuv's thread pool). */
function derive(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function aad(account: string): Buffer {
  return Buffer.from(`${FORMAT}:${account}`, 'utf8');
}
