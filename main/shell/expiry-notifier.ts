/**
 * Desktop notifications for client certificates that are about to expire. At start, every hour and after
 * each certificate change, the core is asked which certificates expire within 30 days; each one that has
 * crossed a threshold (30, 7, 1 days, expired) is announced once per (thumbprint, threshold). What was
 * announced is kept in a small JSON file in userData, so a restart does not announce it again.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Notification } from 'electron';
import type { ChangeEvent, ExpiringCertificate, Result } from '../../preload/contract';

const HOUR_MS = 60 * 60 * 1000;
const WINDOW_DAYS = 30;
/** More crossings than this at once (a first start with many old certificates) get one summary. */
const MAX_SEPARATE_NOTIFICATIONS = 4;
/** Bound the file: forget the oldest records beyond this many. */
const MAX_RECORDS = 5000;
const THRESHOLDS: ReadonlySet<number> = new Set([30, 7, 1, 0]);

/** What the notifier needs from Electron's Notification; injectable for tests. */
export interface Notifier {
  isSupported(): boolean;
  show(options: { readonly title: string; readonly body: string }): void;
}

/** A repeating timer; injectable for tests. */
export interface Timer {
  every(ms: number, run: () => void): () => void;
}

/** How the notifier is wired. */
export interface ExpiryNotifierOptions {
  /** The core's `certificates.expiring` operation. */
  readonly expiring: (input: { readonly withinDays: number }) => Promise<Result<readonly ExpiringCertificate[]>>;
  /** Certificate changes trigger a check. */
  readonly subscribe: (listener: (event: ChangeEvent) => void) => () => void;
  /** Where announced (thumbprint, threshold) pairs are remembered. */
  readonly stateFile: string;
  readonly now?: () => Date;
  readonly timer?: Timer;
  readonly notifier?: Notifier;
  /** Where problems are reported; default console.warn. */
  readonly warn?: (message: string) => void;
}

/** A running notifier. */
export interface ExpiryNotifier {
  /** Check now (also what the timer and change events do); resolves when this check is done. */
  check(): Promise<void>;
  /** Stop the timer and the subscription; resolves once a check in progress has finished. */
  stop(): Promise<void>;
}

interface NotifiedRecord {
  readonly thumbprint: string;
  readonly threshold: number;
  readonly at: string;
}

/** Validate the remembered state; anything unexpected is dropped (a corrupt file starts fresh). */
export function parseNotifiedState(raw: unknown): NotifiedRecord[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const list = (raw as { notified?: unknown }).notified;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is NotifiedRecord =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as NotifiedRecord).thumbprint === 'string' &&
      /^[0-9A-F]{40}$/.test((r as NotifiedRecord).thumbprint) &&
      THRESHOLDS.has((r as NotifiedRecord).threshold) &&
      typeof (r as NotifiedRecord).at === 'string',
  );
}

/** The notification's words for one certificate. */
export function describeExpiry(e: ExpiringCertificate): { readonly title: string; readonly body: string } {
  const when =
    e.threshold === 0 ? 'has expired' : e.daysLeft <= 0 ? 'expires today' : `expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}`;
  const what = e.which === 'leaf' ? `The client certificate "${e.certificateId}"` : `A CA certificate (${e.expiringSubject}) in the chain of "${e.certificateId}"`;
  const apis = e.usedBy.length === 0 ? 'No API uses it.' : `Used by ${[...new Set(e.usedBy.map((u) => u.apiName))].join(', ')}.`;
  const title = e.threshold === 0 ? 'Client certificate expired' : 'Client certificate expires soon';
  return { title, body: `${what} (…${e.thumbprint.slice(-4)}) ${when} (${e.notAfter.slice(0, 10)}). ${apis}` };
}

/** Start checking: once now, then every hour and after each certificate change. */
export function startExpiryNotifier(options: ExpiryNotifierOptions): ExpiryNotifier {
  const now = options.now ?? (() => new Date());
  const timer = options.timer ?? intervalTimer;
  const notifier = options.notifier ?? electronNotifier;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  // Also remembered in memory: a state file that cannot be written must not repeat them every hour.
  const announced = new Set<string>();

  const runOnce = async (): Promise<void> => {
    const result = await options.expiring({ withinDays: WINDOW_DAYS });
    if (!result.ok) return warn(`CertGate could not check certificate expiry: ${result.error.message}`);
    const records = await readState(options.stateFile);
    const seen = new Set([...announced, ...records.map((r) => `${r.thumbprint}/${r.threshold}`)]);
    const fresh = result.value.filter((e) => !seen.has(`${e.thumbprint}/${e.threshold}`));
    if (fresh.length === 0 || stopped || !notifier.isSupported()) return;
    for (const e of fresh) announced.add(`${e.thumbprint}/${e.threshold}`);
    const separate = fresh.length > MAX_SEPARATE_NOTIFICATIONS ? fresh.slice(0, MAX_SEPARATE_NOTIFICATIONS - 1) : fresh;
    for (const e of separate) notifier.show(describeExpiry(e));
    const rest = fresh.length - separate.length;
    if (rest > 0) {
      notifier.show({ title: 'Client certificates expire soon', body: `${rest} more client certificates expire within ${WINDOW_DAYS} days or have expired. See Certificates in CertGate.` });
    }
    const at = now().toISOString();
    const next = [...records, ...fresh.map((e) => ({ thumbprint: e.thumbprint, threshold: e.threshold, at }))].slice(-MAX_RECORDS);
    await writeState(options.stateFile, next);
  };

  const check = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      // Coalesce: one more check after the current one covers every request made meanwhile.
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await runOnce();
        } catch (err) {
          warn(`CertGate could not check certificate expiry: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const cancelTimer = timer.every(HOUR_MS, () => void check());
  const unsubscribe = options.subscribe((event) => {
    if (event.kind === 'certificate') void check();
  });
  void check();

  return {
    check,
    async stop() {
      stopped = true;
      cancelTimer();
      unsubscribe();
      await running;
    },
  };
}

async function readState(file: string): Promise<NotifiedRecord[]> {
  try {
    return parseNotifiedState(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    // Missing or corrupt: start fresh; the next write replaces it.
    return [];
  }
}

async function writeState(file: string, notified: readonly NotifiedRecord[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ version: 1, notified }), 'utf8');
  await rename(temp, file);
}

const intervalTimer: Timer = {
  every(ms, run) {
    const handle = setInterval(run, ms);
    // The hourly check never keeps the process alive on its own.
    handle.unref();
    return () => clearInterval(handle);
  },
};

const electronNotifier: Notifier = {
  isSupported: () => Notification.isSupported(),
  show: (options) => new Notification(options).show(),
};
