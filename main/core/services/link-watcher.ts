import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceContext } from './context';

/** How the watcher looks at linked files. */
export interface LinkWatchOptions {
  /** A file must stay unchanged this long after its last change before it is read (debounce). Default 1,000 ms. */
  readonly settleMs?: number;
  /** How often each file is stat'ed, for systems and network drives where fs.watch misses changes. Default 2,000 ms. */
  readonly pollMs?: number;
  /** How often each file is read and hashed whatever its stat says (content changed under an unchanged mtime). Default 60 s. */
  readonly hashEveryMs?: number;
}

/** A running watcher. */
export interface LinkWatcher {
  /** Stop watching; resolves once a sync in progress has finished. */
  stop(): Promise<void>;
}

interface Watched {
  readonly id: string;
  readonly file: string;
  watcher: FSWatcher | null;
  settle: NodeJS.Timeout | null;
  lastStat: string | null;
  running: Promise<void> | null;
  again: boolean;
}

/**
 * Watch every linked certificate's file: fs.watch on its folder (a renewal is usually a new file renamed over
 * the old one, which a watch on the file itself would lose), a periodic stat, and a periodic read and hash.
 * Each signal restarts the file's settle timer, so a file rewritten several times in quick succession is read
 * once, when it has been quiet for `settleMs`; syncs of one certificate never overlap. `sync` does the rest
 * (compare the hash, parse, preflight, switch) and records its own errors.
 */
export function startLinkWatcher(ctx: ServiceContext, sync: (id: string) => Promise<unknown>, options: LinkWatchOptions = {}): LinkWatcher {
  const settleMs = options.settleMs ?? 1_000;
  const pollMs = options.pollMs ?? 2_000;
  const hashEveryMs = options.hashEveryMs ?? 60_000;
  const watched = new Map<string, Watched>();
  let stopped = false;

  const statKey = async (file: string): Promise<string> => {
    try {
      const s = await stat(file);
      return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    } catch (err) {
      return `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
  };

  const runSync = (w: Watched): void => {
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = (async () => {
      do {
        w.again = false;
        w.lastStat = await statKey(w.file);
        await sync(w.id).catch(() => undefined);
      } while (w.again && !stopped && watched.get(w.id) === w);
    })().finally(() => {
      w.running = null;
    });
  };

  const signal = (w: Watched): void => {
    if (stopped) return;
    if (w.settle) clearTimeout(w.settle);
    w.settle = setTimeout(() => {
      w.settle = null;
      if (!stopped && watched.get(w.id) === w) runSync(w);
    }, settleMs);
  };

  const watchFolder = (w: Watched): void => {
    try {
      const name = path.basename(w.file);
      w.watcher = watch(path.dirname(w.file), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) signal(w);
      });
      // A folder that goes away (unmounted drive): the poll carries on, and the next reconcile watches again.
      w.watcher.on('error', () => {
        w.watcher?.close();
        w.watcher = null;
      });
    } catch {
      w.watcher = null;
    }
  };

  const forget = (w: Watched): void => {
    w.watcher?.close();
    if (w.settle) clearTimeout(w.settle);
    watched.delete(w.id);
  };

  /** Follow the store: watch new links, drop removed ones, re-watch a changed path. */
  const reconcile = (): void => {
    if (stopped) return;
    const linked = new Map(ctx.store.data.certificates.filter((c) => c.source).map((c) => [c.id, c.source!.file]));
    for (const w of [...watched.values()]) if (linked.get(w.id) !== w.file) forget(w);
    for (const [id, file] of linked) {
      const existing = watched.get(id);
      if (existing) {
        if (!existing.watcher) watchFolder(existing);
        continue;
      }
      const w: Watched = { id, file, watcher: null, settle: null, lastStat: null, running: null, again: false };
      watched.set(id, w);
      watchFolder(w);
      // Catch up with whatever happened while nobody watched (CertGate was not running, or just linked).
      runSync(w);
    }
  };

  const poll = setInterval(() => {
    for (const w of watched.values()) {
      if (w.running || w.settle) continue;
      void statKey(w.file).then((key) => {
        if (w.lastStat !== null && key !== w.lastStat) signal(w);
      });
    }
  }, pollMs);
  poll.unref();
  const hashTimer = setInterval(() => {
    for (const w of watched.values()) if (!w.running && !w.settle) runSync(w);
  }, hashEveryMs);
  hashTimer.unref();

  const unsubscribe = ctx.events.subscribe('changes', (event) => {
    if (event.kind === 'certificate') reconcile();
  });
  reconcile();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(hashTimer);
      unsubscribe();
      const pending = [...watched.values()].map((w) => w.running);
      for (const w of [...watched.values()]) forget(w);
      await Promise.all(pending);
    },
  };
}
