import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../../preload/contract';
import { ioError } from '../store/atomic-file';
import { PassphraseSecretStore } from './passphrase-store';
import { SecretStoreError, type SecretStore } from './secret-store';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const REF_PATTERN = /^[a-z0-9-]{8,64}$/;

/**
 * Envelope encryption for private keys and other secrets: each entry is encrypted with AES-256-GCM under
 * one random data key, and only that data key lives in the OS keychain (one small item: under the Windows
 * Credential Manager's size limit, and one prompt at most). Entries are files in `<dataDir>/vault`.
 */
export class Vault {
  readonly #dir: string;
  readonly #account: string;
  readonly #secrets: SecretStore;
  #key: Promise<Result<Buffer>> | null = null;

  private constructor(dir: string, account: string, secrets: SecretStore) {
    this.#dir = dir;
    this.#account = account;
    this.#secrets = secrets;
  }

  /** Open the vault of a data folder; the keychain is not touched until a secret is read or written. */
  static async open(dataDir: string, secrets: SecretStore): Promise<Vault> {
    const dir = path.join(dataDir, 'vault');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const idFile = path.join(dir, 'vault-id');
    let id: string;
    try {
      id = (await readFile(idFile, 'utf8')).trim();
    } catch {
      id = randomUUID();
      await writeFile(idFile, `${id}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => {
        id = (await readFile(idFile, 'utf8')).trim();
      });
    }
    return new Vault(dir, `data-key:${id}`, secrets);
  }

  /** A fresh name for a new entry. */
  static newRef(): string {
    return randomUUID();
  }

  /** Encrypt and store a secret under `ref` (atomic: a temporary file renamed into place). */
  async put(ref: string, secret: string): Promise<Result<void>> {
    if (!REF_PATTERN.test(ref)) return fail('validation', 'A vault entry name is not valid.');
    const key = await this.#dataKey(true);
    if (!key.ok) return key;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.value, iv);
    cipher.setAAD(aad(ref));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const file = Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
    const target = this.#file(ref);
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, file, { mode: 0o600 });
      await rename(temp, target);
    } catch (err) {
      // Disk full, no permission: an expected failure, not a bug. The entry was not written.
      await rm(temp, { force: true }).catch(() => undefined);
      return ioError(target, err);
    }
    return ok(undefined);
  }

  /** Decrypt the secret stored under `ref`. */
  async get(ref: string): Promise<Result<string>> {
    if (!REF_PATTERN.test(ref)) return fail('not-found', 'A vault entry name is not valid.');
    let file: Buffer;
    try {
      file = await readFile(this.#file(ref));
    } catch {
      return fail('not-found', 'A secret is missing from the vault folder; upload the certificate again.');
    }
    const key = await this.#dataKey(false);
    if (!key.ok) return key;
    if (file.length < 1 + IV_BYTES + TAG_BYTES || file[0] !== FORMAT_VERSION) {
      return fail('store-corrupt', 'A vault entry is damaged; upload the certificate again.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.value, file.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(aad(ref));
      decipher.setAuthTag(file.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(file.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return ok(plain.toString('utf8'));
    } catch {
      return fail(
        'keychain-unavailable',
        'A vault entry cannot be decrypted with the key in the OS keychain: the keychain item was replaced or the entry was damaged.',
      );
    }
  }

  /** Remove an entry; removing one that is not there is fine. */
  async delete(ref: string): Promise<void> {
    if (!REF_PATTERN.test(ref)) return;
    await rm(this.#file(ref), { force: true });
  }

  /** Remove entries no longer referenced (left by a process that died between two steps) and stray temp files. */
  async sweep(keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.#dir)) {
      const ref = name.endsWith('.bin') ? name.slice(0, -4) : null;
      if ((ref !== null && !keep.has(ref)) || name.endsWith('.tmp')) {
        await rm(path.join(this.#dir, name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  #file(ref: string): string {
    return path.join(this.#dir, `${ref}.bin`);
  }

  /** The data key, read from the keychain once; created only when the vault holds nothing yet. */
  #dataKey(createIfMissing: boolean): Promise<Result<Buffer>> {
    const cached = this.#key;
    if (cached) return cached;
    const loading = this.#loadKey(createIfMissing);
    this.#key = loading;
    // A failure is not cached: the operator may unlock the keychain and try again.
    void loading.then((r) => {
      if (!r.ok && this.#key === loading) this.#key = null;
    });
    return loading;
  }

  async #loadKey(createIfMissing: boolean): Promise<Result<Buffer>> {
    try {
      const stored = await this.#secrets.get(this.#account);
      if (stored) {
        const key = Buffer.from(stored, 'base64');
        if (key.length === 32) return ok(key);
        return fail('keychain-unavailable', 'The CertGate key in the OS keychain is not valid; restore it from a backup of the keychain.');
      }
      const entries = (await readdir(this.#dir)).filter((n) => n.endsWith('.bin'));
      if (entries.length > 0 && this.#secrets instanceof PassphraseSecretStore) {
        return fail('store-corrupt', "The vault's passphrase key file is missing from this data folder, so its private keys cannot be read. Restore the folder from a backup, or upload the certificates again in a new data folder.");
      }
      if (entries.length > 0 || !createIfMissing) {
        return fail(
          'keychain-unavailable',
          entries.length > 0
            ? 'The OS keychain has no CertGate key for this data folder, so its private keys cannot be read. Restore the keychain item, or upload the certificates again in a new data folder.'
            : 'The OS keychain has no CertGate key for this data folder yet.',
        );
      }
      const key = randomBytes(32);
      await this.#secrets.set(this.#account, key.toString('base64'));
      return ok(key);
    } catch (err) {
      if (err instanceof SecretStoreError) return fail(err.code, err.message);
      return fail(
        'keychain-unavailable',
        'The OS keychain is not available, so CertGate cannot protect private keys and stored nothing. ' +
          'On Linux, start a Secret Service (gnome-keyring or KWallet) in a D-Bus session; on macOS and Windows, unlock your keychain. ' +
          'On a machine without a keychain, choose the passphrase vault deliberately for a new data folder: --vault-passphrase-stdin or CERTGATE_VAULT_PASSPHRASE_FILE.',
        { reason: err instanceof Error ? err.message : String(err) },
      );
    }
  }
}

function aad(ref: string): Buffer {
  return Buffer.from(`certgate-vault:v${FORMAT_VERSION}:${ref}`, 'utf8');
}
