import { ok, type AppInfo, type Operations } from '../../../preload/contract';
import type { VaultKeyholder } from '../vault/protection';
import type { ServiceContext } from './context';

/** What the running CertGate works on (`app.info`), and unlocking a passphrase vault (`vault.unlock`). */
export function appOperations(ctx: ServiceContext, dataDir: string, keyholder: VaultKeyholder): Pick<Operations, 'app.info' | 'vault.unlock'> {
  const info = (): AppInfo => ({ dataDir, vault: { protection: keyholder.protection, locked: keyholder.locked() } });
  return {
    async 'app.info'() {
      return ok(info());
    },
    async 'vault.unlock'(input) {
      const unlocked = await keyholder.unlock(input.passphrase);
      if (!unlocked.ok) return unlocked;
      // The gateway rebuilds its routes (this is a write): the certificates it could not read are presented now.
      ctx.events.emit('changes', { kind: 'vault', action: 'updated', id: 'vault' });
      return ok(info());
    },
  };
}
