/**
 * Where the vault's data key lives: the OS keychain. A small interface so another binding can replace
 * keytar in one file, and tests can use the real keychain or a fake.
 */
export interface SecretStore {
  /** The secret, or null when there is none. Throws when the keychain cannot be reached. */
  get(account: string): Promise<string | null>;
  /** Store a secret. Throws when the keychain cannot be reached. */
  set(account: string, secret: string): Promise<void>;
  /** Remove a secret; true when one was removed. Throws when the keychain cannot be reached. */
  delete(account: string): Promise<boolean>;
}

/**
 * A failure a secret store knows the stable code of (a passphrase vault: `passphrase-required`,
 * `bad-passphrase`, `store-corrupt`): the vault answers it as is, instead of `keychain-unavailable`.
 */
export class SecretStoreError extends Error {
  constructor(
    readonly code: 'passphrase-required' | 'bad-passphrase' | 'store-corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** The keychain service name CertGate's items are filed under. */
export const KEYCHAIN_SERVICE = 'CertGate';

const KEYCHAIN_TIMEOUT_MS = 30_000;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The OS keychain through keytar: macOS Keychain, Windows Credential Manager, Linux Secret Service. */
export class KeytarSecretStore implements SecretStore {
  #keytar: Promise<Keytar> | null = null;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  get(account: string): Promise<string | null> {
    return this.#call((k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.#call((k) => k.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.#call((k) => k.deletePassword(this.service, account));
  }

  async #call<T>(fn: (keytar: Keytar) => Promise<T>): Promise<T> {
    this.#keytar ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? (m as unknown as Keytar)));
    const keytar = await this.#keytar;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the keychain did not answer within 30 seconds')), KEYCHAIN_TIMEOUT_MS);
    });
    try {
      return await Promise.race([fn(keytar), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A secret store in memory: for tests that are not about the keychain. */
export class MemorySecretStore implements SecretStore {
  readonly secrets = new Map<string, string>();
  available = true;

  async get(account: string): Promise<string | null> {
    this.#check();
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.#check();
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.#check();
    return this.secrets.delete(account);
  }

  #check(): void {
    if (!this.available) throw new Error('no keychain (test)');
  }
}
