import { ok, type Operations, type Result, type Subscriptions } from '../../../preload/contract';
import type { AdminServer } from '../admin-http/server';
import { loadOrCreateToken } from '../admin-http/token';
import { openCore, type Core } from './core';
import type { GatewayDriver } from '../gateway/types';
import { acquireLock, type DataFolderLock } from './lock';
import type { SecretStore } from '../vault/secret-store';
import type { LinkWatchOptions } from '../services/link-watcher';

/** How to run CertGate on a data folder: the app, `certgate serve`, or the CLI working on the files. */
export interface InstanceOptions {
  readonly dataDir: string;
  /** Default: the OS keychain through keytar. */
  readonly secretStore?: SecretStore;
  /** The vault passphrase, when the operator gave one (see CoreOptions.vaultPassphrase). */
  readonly vaultPassphrase?: string | null;
  /** An in-process gateway on host/port, a gateway running elsewhere (the app's utility process), or none. */
  readonly gateway:
    | { readonly host?: string; readonly port?: number; readonly backendTimeoutMs?: number }
    | { readonly driver: GatewayDriver }
    | false;
  /** The admin REST API (and the browser console when rendererDir is given), or none. */
  readonly admin: { readonly host?: string; readonly port?: number; readonly rendererDir?: string | null } | false;
  /**
   * Following linked certificates' files: on by default when the instance serves (a gateway or the admin API),
   * off for the CLI's one-shot commands (the next `certgate serve` or app start catches up); options for tests.
   */
  readonly linkWatch?: LinkWatchOptions | false;
}

/** A running CertGate: it owns its data folder until closed. */
export interface Instance {
  readonly core: Core;
  readonly operations: Operations;
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void;
  readonly gatewayUrl: string | null;
  readonly adminUrl: string | null;
  /** The admin API's bearer token (stored 0600 in the data folder), when the admin API runs. */
  readonly adminToken: string | null;
  /** Stop serving, let requests in flight finish, flush the store, release the data folder. */
  close(): Promise<void>;
}

/** The gateway the instance drives: given (the app's utility process), started here, or none. */
async function startGateway(
  gateway: InstanceOptions['gateway'],
): Promise<Result<{ readonly driver: GatewayDriver; readonly url: string | null } | null>> {
  if (!gateway) return ok(null);
  if ('driver' in gateway) return ok({ driver: gateway.driver, url: gateway.driver.status().url });
  // Loaded only when asked for: the CLI's commands open the core without a gateway or an admin API.
  const { Gateway } = await import('../gateway/gateway');
  const inProcess = new Gateway(gateway);
  const started = await inProcess.start();
  if (!started.ok) return started;
  return ok({ driver: inProcess, url: started.value.url });
}

/** The admin REST API with its bearer token, when asked for. */
async function startAdmin(
  dataDir: string,
  admin: InstanceOptions['admin'],
  core: Core,
): Promise<Result<{ readonly server: AdminServer; readonly token: string } | null>> {
  if (!admin) return ok(null);
  const token = await loadOrCreateToken(dataDir);
  const { startAdminServer } = await import('../admin-http/server');
  const started = await startAdminServer({
    operations: core.operations,
    subscribe: core.subscribe,
    host: admin.host,
    port: admin.port,
    token,
    rendererDir: admin.rendererDir ?? null,
  });
  if (!started.ok) return started;
  return ok({ server: started.value, token });
}

/** Take the data folder's lock, open the core, start the gateway and admin API as asked. */
export async function openInstance(options: InstanceOptions): Promise<Result<Instance>> {
  const lock = await acquireLock(options.dataDir);
  if (!lock.ok) return lock;
  const cleanup: (() => Promise<void>)[] = [() => lock.value.release()];
  const unwind = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const core = await openCore({ dataDir: options.dataDir, secretStore: options.secretStore, vaultPassphrase: options.vaultPassphrase });
    if (!core.ok) {
      await unwind();
      return core;
    }
    cleanup.push(() => core.value.flush());

    const gateway = await startGateway(options.gateway);
    if (!gateway.ok) {
      await unwind();
      return gateway;
    }
    const gatewayUrl = gateway.value?.url ?? null;
    if (gateway.value) {
      const running = gateway.value.driver;
      cleanup.push(() => running.stop());
      await core.value.attachGateway(running);
      cleanup.push(() => core.value.attachGateway(null));
    }

    const admin = await startAdmin(options.dataDir, options.admin, core.value);
    if (!admin.ok) {
      await unwind();
      return admin;
    }
    const adminServer = admin.value?.server ?? null;
    if (adminServer) cleanup.push(() => adminServer.close());
    const serving = options.gateway !== false || options.admin !== false;
    if (options.linkWatch !== false && (serving || options.linkWatch !== undefined)) {
      const watcher = core.value.watchLinkedFiles(options.linkWatch ?? {});
      // Stopped before the gateway and the store: no sync starts on a closing instance.
      cleanup.push(() => watcher.stop());
    }
    await lock.value.update({ adminUrl: adminServer?.url ?? null, gatewayUrl });

    let closing: Promise<void> | null = null;
    return ok({
      core: core.value,
      operations: core.value.operations,
      subscribe: core.value.subscribe,
      gatewayUrl,
      adminUrl: adminServer?.url ?? null,
      adminToken: admin.value?.token ?? null,
      close: () => (closing ??= unwind()),
    });
  } catch (err) {
    await unwind();
    throw err;
  }
}

/** The lock type, for callers that hold one. */
export type { DataFolderLock };
