/** What the console runs on (the data folder, how its vault is protected), and unlocking a passphrase vault. */
import { useCallback } from 'react';
import type { AppInfo } from '../../../preload/contract/model';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** `app.info`, fresh after the vault changes; `unlock` gives a passphrase vault its passphrase. */
export interface AppInfoState extends Resource<AppInfo> {
  unlock(passphrase: string): Promise<Result<AppInfo>>;
}

/** Load `app.info`; reload it when the vault is unlocked (here or elsewhere). */
export function useAppInfo(): AppInfoState {
  const client = useClient();
  const resource = useResource(loads.appInfo.load, { key: loads.appInfo.key, refreshOn: (e) => e.kind === 'vault' });
  const { refresh } = resource;
  const unlock = useCallback(
    async (passphrase: string) => {
      const result = await client.call('vault.unlock', { passphrase });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  return { ...resource, unlock };
}
