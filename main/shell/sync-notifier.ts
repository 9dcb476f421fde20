/**
 * Desktop notifications for linked certificates whose file could not be synced (issue 14): missing,
 * unreadable, wrong password, expired, or failing the preflight. After each certificate change the core's list
 * is read; every certificate that shows a sync error it did not show before is announced once, naming the
 * APIs (and operations) that stay on the current version and are at risk. A sync error keeps the time it was
 * first seen while it stays the same, so (id, time) identifies it: the same failure is not announced twice.
 */
import { Notification } from 'electron';
import type { CertificateWithUsage, ChangeEvent, Result } from '../../preload/contract';
import type { Notifier } from './expiry-notifier';

/** More failures than this at once get one summary. */
const MAX_SEPARATE_NOTIFICATIONS = 4;

/** How the notifier is wired. */
export interface SyncNotifierOptions {
  /** The core's `certificates.list` operation. */
  readonly list: () => Promise<Result<readonly CertificateWithUsage[]>>;
  /** Certificate changes (a sync records its error as one) trigger a look. */
  readonly subscribe: (listener: (event: ChangeEvent) => void) => () => void;
  readonly notifier?: Notifier;
  /** Where problems are reported; default console.warn. */
  readonly warn?: (message: string) => void;
}

/** A running notifier. */
export interface SyncNotifier {
  /** Look now (also what change events do); resolves when this look is done. */
  check(): Promise<void>;
  /** Stop listening; resolves once a look in progress has finished. */
  stop(): Promise<void>;
}

/** The notification's words for one failed sync. */
export function describeSyncFailure(c: CertificateWithUsage): { readonly title: string; readonly body: string } {
  const error = c.source?.syncError;
  const file = c.source?.file ?? '';
  const apis = atRisk(c, error?.apisAtRisk ?? []);
  const risk = apis.length === 0 ? 'No API uses it.' : `At risk (still on version ${c.version ?? 1}): ${apis.join(', ')}.`;
  return { title: 'Linked certificate not synced', body: `"${c.id}" could not take ${file}: ${error?.message ?? 'unknown problem.'} ${risk}` };
}

/** The APIs at risk, each with the operations whose own policies present the certificate, and the global policy. */
function atRisk(c: CertificateWithUsage, apis: readonly string[]): string[] {
  const operations = new Map<string, string[]>();
  for (const u of c.usedBy) {
    if (u.global || !u.operationName) continue;
    operations.set(u.apiName, [...(operations.get(u.apiName) ?? []), u.operationName]);
  }
  const named = apis.map((api) => {
    const ops = [...new Set(operations.get(api) ?? [])];
    return ops.length === 0 ? api : `${api} (operation${ops.length === 1 ? '' : 's'} ${ops.join(', ')})`;
  });
  return c.usedBy.some((u) => u.global) ? ['All APIs (the global policy)', ...named] : named;
}

/** Start watching for sync failures: once now, then after each certificate change. */
export function startSyncNotifier(options: SyncNotifierOptions): SyncNotifier {
  const notifier = options.notifier ?? electronNotifier;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const announced = new Set<string>();
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const runOnce = async (): Promise<void> => {
    const result = await options.list();
    if (!result.ok) return warn(`CertGate could not check its linked certificates: ${result.error.message}`);
    const failing = result.value.filter((c) => c.source?.state === 'error' && c.source.syncError);
    const fresh = failing.filter((c) => !announced.has(keyOf(c)));
    if (fresh.length === 0 || stopped || !notifier.isSupported()) return;
    for (const c of fresh) announced.add(keyOf(c));
    const separate = fresh.length > MAX_SEPARATE_NOTIFICATIONS ? fresh.slice(0, MAX_SEPARATE_NOTIFICATIONS - 1) : fresh;
    for (const c of separate) notifier.show(describeSyncFailure(c));
    const rest = fresh.length - separate.length;
    if (rest > 0) notifier.show({ title: 'Linked certificates not synced', body: `${rest} more linked certificates could not be synced. See Certificates in CertGate.` });
  };

  const check = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce().catch((err: unknown) => warn(`CertGate could not check its linked certificates: ${err instanceof Error ? err.message : String(err)}`));
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const unsubscribe = options.subscribe((event) => {
    if (event.kind === 'certificate') void check();
  });
  void check();
  return {
    check,
    async stop() {
      stopped = true;
      unsubscribe();
      await running;
    },
  };
}

/** One failure: the certificate and when its error was first recorded (kept while the error stays the same). */
function keyOf(c: CertificateWithUsage): string {
  return `${c.id}\n${c.source?.syncError?.at ?? ''}`;
}

const electronNotifier: Notifier = {
  isSupported: () => Notification.isSupported(),
  show: (options) => new Notification(options).show(),
};
