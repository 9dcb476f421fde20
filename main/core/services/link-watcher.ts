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
  const watched = new Map<string, Watched>();
  let stopped = false;

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

  /** Follow the store: watch new links, drop removed ones, re-watch a changed path. */
  const reconcile = (): void => {
    if (stopped) return;
    const linked = new Map(ctx.store.data.certificates.filter((c) => c.source).map((c) => [c.id, c.source!.file]));
    for (const w of [...watched.values()]) if (linked.get(w.id) !== w.file) forget(watched, w);
    for (const [id, file] of linked) {
      const existing = watched.get(id);
      if (existing) {
        if (!existing.watcher) watchFolder(existing, signal);
        continue;
      }
      const w: Watched = { id, file, watcher: null, settle: null, lastStat: null, running: null, again: false };
      watched.set(id, w);
      watchFolder(w, signal);
      // Catch up with whatever happened while nobody watched (CertGate was not running, or just linked).
      runSync(w);
    }
  };

  const stopTimers = startTimers(watched, { signal, runSync }, options);
  const unsubscribe = ctx.events.subscribe('changes', (event) => {
    if (event.kind === 'certificate') reconcile();
  });
  reconcile();

  return {
    async stop() {
      stopped = true;
      stopTimers();
      unsubscribe();
      const pending = [...watched.values()].map((w) => w.running);
      for (const w of [...watched.values()]) forget(watched, w);
      await Promise.all(pending);
    },
  };
}

/** What a file looks like to stat: changes when it is rewritten or renamed over, or goes away. */
async function statKey(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/** fs.watch the file's folder (a file renamed over the watched one would end a watch on the file itself). */
function watchFolder(w: Watched, signal: (w: Watched) => void): void {
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
}

function forget(watched: Map<string, Watched>, w: Watched): void {
  w.watcher?.close();
  if (w.settle) clearTimeout(w.settle);
  watched.delete(w.id);
}

/** The periodic stat (a changed key signals) and the periodic read and hash (a sync); returns their stop. */
function startTimers(
  watched: ReadonlyMap<string, Watched>,
  on: { readonly signal: (w: Watched) => void; readonly runSync: (w: Watched) => void },
  options: LinkWatchOptions,
): () => void {
  const poll = setInterval(() => {
    for (const w of watched.values()) {
      if (w.running || w.settle) continue;
      void statKey(w.file).then((key) => {
        if (w.lastStat !== null && key !== w.lastStat) on.signal(w);
      });
    }
  }, options.pollMs ?? 2_000);
  poll.unref();
  const hashTimer = setInterval(() => {
    for (const w of watched.values()) if (!w.running && !w.settle) on.runSync(w);
  }, options.hashEveryMs ?? 60_000);
  hashTimer.unref();
  return () => {
    clearInterval(poll);
    clearInterval(hashTimer);
  };
}
