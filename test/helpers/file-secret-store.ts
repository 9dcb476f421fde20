import { readFileSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../../main/core/vault/secret-store';

/** A keychain stand-in that survives process restarts (a JSON file): for crash tests across processes. */
export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  async get(account: string): Promise<string | null> {
    return this.#read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    writeFileSync(this.file, JSON.stringify({ ...this.#read(), [account]: secret }));
  }

  async delete(account: string): Promise<boolean> {
    const all = this.#read();
    const had = account in all;
    delete all[account];
    writeFileSync(this.file, JSON.stringify(all));
    return had;
  }

  #read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
}
