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

    let driver: GatewayDriver | null = null;
    let gatewayUrl: string | null = null;
    if (options.gateway && 'driver' in options.gateway) {
      driver = options.gateway.driver;
      gatewayUrl = driver.status().url;
    } else if (options.gateway) {
      // Loaded only when asked for: the CLI's commands open the core without a gateway or an admin API.
      const { Gateway } = await import('../gateway/gateway');
      const gateway = new Gateway(options.gateway);
      const started = await gateway.start();
      if (!started.ok) {
        await unwind();
        return started;
      }
      driver = gateway;
      gatewayUrl = started.value.url;
    }
    if (driver) {
      const running = driver;
      cleanup.push(() => running.stop());
      await core.value.attachGateway(driver);
      cleanup.push(() => core.value.attachGateway(null));
    }

    let admin: AdminServer | null = null;
    let adminToken: string | null = null;
    if (options.admin) {
      adminToken = await loadOrCreateToken(options.dataDir);
      const { startAdminServer } = await import('../admin-http/server');
      const started = await startAdminServer({
        operations: core.value.operations,
        subscribe: core.value.subscribe,
        host: options.admin.host,
        port: options.admin.port,
        token: adminToken,
        rendererDir: options.admin.rendererDir ?? null,
      });
      if (!started.ok) {
        await unwind();
        return started;
      }
      admin = started.value;
      const server = admin;
      cleanup.push(() => server.close());
    }
    const serving = options.gateway !== false || options.admin !== false;
    if (options.linkWatch !== false && (serving || options.linkWatch !== undefined)) {
      const watcher = core.value.watchLinkedFiles(options.linkWatch ?? {});
      // Stopped before the gateway and the store: no sync starts on a closing instance.
      cleanup.push(() => watcher.stop());
    }
    await lock.value.update({ adminUrl: admin?.url ?? null, gatewayUrl });

    let closing: Promise<void> | null = null;
    return ok({
      core: core.value,
      operations: core.value.operations,
      subscribe: core.value.subscribe,
      gatewayUrl,
      adminUrl: admin?.url ?? null,
      adminToken,
      close: () => (closing ??= unwind()),
    });
  } catch (err) {
    await unwind();
    throw err;
  }
}

/** The lock type, for callers that hold one. */
export type { DataFolderLock };
