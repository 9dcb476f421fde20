import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../preload/contract/result';
import type { OperationInput, OperationName, OperationOutput } from '../../preload/contract/operations';
import { TOKEN_FILE } from '../core/admin-http/token';
import { readLock } from '../core/app/lock';

/** How a CLI command reaches the operations: a running instance's admin API, or the files directly. */
export interface Backend {
  readonly remote: boolean;
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  close(): Promise<void>;
}

const WAIT_FOR_LOCK_MS = 10_000;

/**
 * One writer per data folder: while the app or `certgate serve` owns the folder, send the operation to it
 * (so its gateway applies the change at once and no update is lost); otherwise take the lock and work on
 * the files. Another CLI holding the folder for a moment is waited for.
 */
export async function openBackend(dataDir: string, options: { readonly vaultPassphrase?: string | null } = {}): Promise<Result<Backend>> {
  const deadline = Date.now() + WAIT_FOR_LOCK_MS;
  for (;;) {
    const owner = await readLock(dataDir);
    if (owner?.adminUrl) return remoteBackend(dataDir, owner.pid, owner.adminUrl);
    if (!owner) {
      const local = await localBackend(dataDir, options.vaultPassphrase ?? null);
      if (local.ok || local.error.code !== 'locked') return local;
    }
    if (Date.now() > deadline) {
      return fail('locked', `Another CertGate process (${owner?.pid ?? 'unknown'}) is using ${dataDir} and has no admin API to send the change to. Try again when it has finished.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The running instance's admin API (it holds the vault open: no passphrase is needed). Its client is loaded here, only when an instance runs. */
async function remoteBackend(dataDir: string, pid: number, url: string): Promise<Result<Backend>> {
  // Read only: a token created here would not be the one the running instance knows.
  const token = await readFile(path.join(dataDir, TOKEN_FILE), 'utf8').then((t) => t.trim(), () => null);
  if (!token) return fail('unauthorized', `CertGate (process ${pid}) owns ${dataDir}, but its admin token file is missing.`);
  const { callAdmin } = await import('../core/admin-http/client');
  return ok({ remote: true, call: (name, input) => callAdmin(url, token, name, input), close: async () => undefined });
}

/** The core on the files, with no gateway and no admin API (neither is loaded), behind the contract's dispatch. */
async function localBackend(dataDir: string, vaultPassphrase: string | null): Promise<Result<Backend>> {
  const [{ openInstance }, { dispatch }] = await Promise.all([import('../core/app/instance'), import('../core/dispatch/dispatch')]);
  const instance = await openInstance({ dataDir, vaultPassphrase, gateway: false, admin: false });
  if (!instance.ok) return instance;
  return ok({
    remote: false,
    call: (name, input) => dispatch(instance.value.operations, name, input),
    close: () => instance.value.close(),
  });
}
