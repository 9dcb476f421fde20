import {
  ok,
  type CallOptions,
  type Operations,
  type OperationName,
  type Subscriptions,
  type Result,
  writes,
} from '../../../preload/contract';
import { EventHub } from '../services/events';
import type { GatewayDriver } from '../gateway/types';
import { GatewaySync } from './gateway-sync';
import { apiOperations } from '../services/api-service';
import { caCertificateOperations } from '../services/ca-service';
import { certificateOperations } from '../services/certificate-service';
import { certificateExportOperations } from '../services/certificate-export';
import { diagnoseOperations } from '../services/diagnose-service';
import { exportOperations } from '../services/export-service';
import { rotationOperations } from '../services/rotation-service';
import { serviceContext } from '../services/context';
import { GatewayConfigBuilder } from '../services/gateway-config';
import { importOperations } from '../services/import-service';
import { operationPolicyOperations } from '../services/operation-policies';
import { operationOperations } from '../services/operation-service';
import { policyOperations } from '../services/policy-service';
import { settingsOperations } from '../services/settings-service';
import { gatewayOperations } from '../services/gateway-service';
import { filesOperations } from '../services/files-service';
import { linkService } from '../services/link-service';
import { startLinkWatcher, type LinkWatcher, type LinkWatchOptions } from '../services/link-watcher';
import { diagnoseRoute } from '../diagnose/diagnose-route';
import { Store } from '../store/store';
import { appOperations } from '../services/app-service';
import type { ScryptCost } from '../vault/passphrase-store';
import { openKeyholder } from '../vault/protection';
import { KeytarSecretStore, type SecretStore } from '../vault/secret-store';
import { Vault } from '../vault/vault';

/** What the core is built from; everything that touches the world is injectable. */
export interface CoreOptions {
  readonly dataDir: string;
  /** Default: the OS keychain through keytar. */
  readonly secretStore?: SecretStore;
  /**
   * The vault passphrase (never from argv): chooses the passphrase vault for a new folder, opens a passphrase
   * folder's vault. Without it a passphrase folder opens locked (`vault.unlock`). See vault/protection.ts.
   */
  readonly vaultPassphrase?: string | null;
  /** scrypt's cost for a new passphrase vault; tests lower it, everything else uses the default. */
  readonly scryptCost?: ScryptCost;
  readonly now?: () => Date;
}

/** The core: every contract operation over one data folder, its change events, and the gateway feed. */
export interface Core {
  readonly dataDir: string;
  readonly operations: Operations;
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void;
  /** Feed a gateway: the current configuration now, and a new one after every committed change. */
  attachGateway(driver: GatewayDriver | null): Promise<void>;
  /** Follow the linked certificates' files (the instance that serves does; one-shot CLI commands do not). */
  watchLinkedFiles(options?: LinkWatchOptions): LinkWatcher;
  /** Wait for queued writes. */
  flush(): Promise<void>;
}

/** How long a linked renewal's preflight diagnosis of one API may take. */
const LINK_PREFLIGHT_TIMEOUT_MS = 10_000;

/** Open the core on a data folder (the caller holds the folder's lock: see instance.ts). */
export async function openCore(options: CoreOptions): Promise<Result<Core>> {
  const store = await Store.open(options.dataDir);
  if (!store.ok) return store;
  const keyholder = await openKeyholder(options.dataDir, {
    passphrase: options.vaultPassphrase ?? null,
    keychain: options.secretStore ?? new KeytarSecretStore(),
    scryptCost: options.scryptCost,
  });
  if (!keyholder.ok) return keyholder;
  const vault = await Vault.open(options.dataDir, keyholder.value.store);
  // Entries left by a process that died between its vault and store writes.
  const kept = store.value.data.certificates.flatMap((c) => [c.secretRef, ...(c.link?.passwordRef ? [c.link.passwordRef] : [])]);
  await vault.sweep(new Set([...kept, ...store.value.data.namedValues.map((n) => n.secretRef)]));
  const events = new EventHub();
  const ctx = serviceContext({ store: store.value, vault, events, now: options.now ?? (() => new Date()) });
  const routes = new GatewayConfigBuilder(ctx);
  const sync = new GatewaySync(routes);
  // A failed rebuild surfaces in the operation that waits for it; here it must not become an unhandled rejection.
  events.subscribe('changes', () => void sync.request().catch(() => undefined));
  const links = linkService(ctx, async (apiId, material) => {
    const route = await routes.route(apiId, { material });
    return route.ok ? ok(await diagnoseRoute(route.value, { timeoutMs: LINK_PREFLIGHT_TIMEOUT_MS })) : route;
  });
  const raw: Operations = {
    ...certificateOperations(ctx),
    ...links.operations,
    ...certificateExportOperations(ctx),
    ...caCertificateOperations(ctx),
    ...apiOperations(ctx),
    ...policyOperations(ctx),
    ...operationOperations(ctx),
    ...operationPolicyOperations(ctx),
    ...importOperations(ctx),
    ...settingsOperations(ctx),
    ...gatewayOperations(ctx, sync),
    ...diagnoseOperations(ctx, routes),
    ...rotationOperations(ctx, (apiId, certificateId) => raw['apis.diagnose']({ id: apiId, certificateId })),
    ...exportOperations(ctx, routes),
    ...appOperations(ctx, options.dataDir, keyholder.value),
    ...filesOperations(),
  };
  let stopTraffic: (() => void) | null = null;
  return ok({
    dataDir: options.dataDir,
    operations: liveOperations(raw, sync),
    subscribe: (channel, listener) => events.subscribe(channel, listener),
    attachGateway: (driver) => {
      stopTraffic?.();
      // Attached only while someone listens: otherwise the gateway builds no entry object per call.
      stopTraffic = driver ? events.feed('traffic', () => driver.onTraffic((entry) => events.emit('traffic', entry))) : null;
      return sync.attach(driver);
    },
    // A watched renewal, like a write operation, is done once the gateway runs on it.
    watchLinkedFiles: (watchOptions) => startLinkWatcher(ctx, async (id) => (await links.sync(id)).ok && (await sync.request()), watchOptions),
    flush: () => store.value.flush(),
  });
}

/** Each change returns only once the gateway runs on it: the very next call sees it. */
function liveOperations(raw: Operations, sync: GatewaySync): Operations {
  type Run = (input: never, options?: CallOptions) => Promise<Result<unknown>>;
  const wrapped: Record<string, Run> = {};
  for (const [name, run] of Object.entries(raw) as [OperationName, Run][]) {
    wrapped[name] = !writes(name)
      ? run
      : async (input, options) => {
          const result = await run(input, options);
          if (result.ok) await sync.request();
          return result;
        };
  }
  return wrapped as unknown as Operations;
}
