import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../../preload/contract/result';
import type { VaultProtection } from '../../../preload/contract/model';
import { PassphraseSecretStore, type ScryptCost } from './passphrase-store';
import type { SecretStore } from './secret-store';

/** The file in `<dataDir>/vault` that records how the folder's data key is protected: `keychain` or `passphrase`. */
export const PROTECTION_FILE = 'protection';
/** The wrapped data key of a passphrase vault, in `<dataDir>/vault`. */
export const PASSPHRASE_KEY_FILE = 'data-key.passphrase.json';

/** Where a data folder's vault key comes from, and (for a passphrase vault) how to unlock it. */
export interface VaultKeyholder {
  readonly protection: VaultProtection;
  /** What the vault reads its data key through. */
  readonly store: SecretStore;
  /** True while a passphrase vault waits for its passphrase. */
  locked(): boolean;
  /** Give a passphrase vault its passphrase (`bad-passphrase` when wrong: nothing changes). */
  unlock(passphrase: string): Promise<Result<void>>;
}

/**
 * How the vault of a data folder is protected: as recorded, else `keychain` when it already holds entries
 * (folders from before the choice existed), else null (nothing chosen yet).
 */
export async function readProtection(dataDir: string): Promise<VaultProtection | null> {
  const dir = path.join(dataDir, 'vault');
  const recorded = await readFile(path.join(dir, PROTECTION_FILE), 'utf8').then((t) => t.trim(), () => null);
  if (recorded === 'keychain' || recorded === 'passphrase') return recorded;
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.includes(PASSPHRASE_KEY_FILE)) return 'passphrase';
  return names.some((n) => n.endsWith('.bin')) ? 'keychain' : null;
}

async function recordProtection(dataDir: string, protection: VaultProtection): Promise<void> {
  const dir = path.join(dataDir, 'vault');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // 'wx': the first choice stands; a second writer's choice never replaces it.
  await writeFile(path.join(dir, PROTECTION_FILE), `${protection}\n`, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
}

/**
 * Choose the data folder's secret store. The choice is deliberate and recorded, never a fallback:
 * - a passphrase given for a new folder makes it a passphrase vault (recorded now); for a passphrase
 *   folder it must open the wrapped key (`bad-passphrase` otherwise); for a keychain folder it is refused
 *   (`passphrase-not-used`);
 * - no passphrase: a passphrase folder opens locked (every key read is `passphrase-required` until
 *   `unlock`); any other folder uses the OS keychain, recorded when its first key is stored.
 */
export async function openKeyholder(
  dataDir: string,
  options: { readonly passphrase?: string | null; readonly keychain: SecretStore; readonly scryptCost?: ScryptCost },
): Promise<Result<VaultKeyholder>> {
  const recorded = await readProtection(dataDir);
  const passphrase = options.passphrase ?? null;
  if (passphrase !== null || recorded === 'passphrase') {
    if (recorded === 'keychain') {
      return fail(
        'passphrase-not-used',
        'This data folder keeps its vault key in the OS keychain, not under a passphrase: run without --vault-passphrase-stdin and CERTGATE_VAULT_PASSPHRASE_FILE. A folder never changes protection silently; for a passphrase vault, use a new data folder.',
      );
    }
    const store = new PassphraseSecretStore(path.join(dataDir, 'vault', PASSPHRASE_KEY_FILE), { cost: options.scryptCost });
    if (passphrase !== null) {
      const unlocked = await store.unlock(passphrase);
      if (!unlocked.ok) return unlocked;
      if (recorded === null) await recordProtection(dataDir, 'passphrase');
    }
    return ok({ protection: 'passphrase', store, locked: () => store.locked, unlock: (p) => store.unlock(p) });
  }
  const keychain = options.keychain;
  // Recorded when the first key goes into the keychain: from then on a passphrase is refused for this folder.
  const store: SecretStore = {
    get: (account) => keychain.get(account),
    delete: (account) => keychain.delete(account),
    set: async (account, secret) => {
      await keychain.set(account, secret);
      await recordProtection(dataDir, 'keychain');
    },
  };
  return ok({
    protection: 'keychain',
    store,
    locked: () => false,
    unlock: async () => fail('passphrase-not-used', 'This data folder keeps its vault key in the OS keychain; it has no passphrase to unlock.'),
  });
}
