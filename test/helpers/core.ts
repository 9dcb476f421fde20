import { openCore, type Core } from '../../main/core/app/core';
import { MemorySecretStore } from '../../main/core/vault/secret-store';
import { tempDir } from './temp-dir';

/** A core on a fresh temp folder with an in-memory keychain. */
export async function testCore(): Promise<{ core: Core; dir: string; secrets: MemorySecretStore; remove(): Promise<void> }> {
  const dir = await tempDir();
  const secrets = new MemorySecretStore();
  const core = await openCore({ dataDir: dir.path, secretStore: secrets });
  if (!core.ok) throw new Error(core.error.message);
  return { core: core.value, dir: dir.path, secrets, remove: dir.remove };
}
