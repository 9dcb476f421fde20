import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../../preload/contract';

/** The lock file's name in the data folder. */
export const LOCK_FILE = 'certgate.lock';

/** What the lock file says about its owner. */
export interface LockInfo {
  readonly pid: number;
  readonly startedAt: string;
  /**
   * Random, one per process: a lock naming our pid is ours only if it carries our token. In a container every
   * run is PID 1, so a stale lock left by an earlier run names our pid but not our token.
   */
  readonly token: string;
  /** When the owner process started, as the OS counts it (Linux: /proc start time); null where unknown. */
  readonly processStart: string | null;
  /** The owner's admin API, when it runs one: the CLI sends its operations there. */
  readonly adminUrl: string | null;
  readonly gatewayUrl: string | null;
}

/** A held lock on a data folder. */
export interface DataFolderLock {
  /** Record the owner's URLs (after its servers have started). */
  update(info: Partial<Pick<LockInfo, 'adminUrl' | 'gatewayUrl'>>): Promise<void>;
  release(): Promise<void>;
}

/** Read the lock of a data folder; null when nobody holds it (or its owner is gone). */
export async function readLock(dataDir: string): Promise<LockInfo | null> {
  const info = await readLockFile(path.join(dataDir, LOCK_FILE));
  return info && isAlive(info) ? info : null;
}

/**
 * Take the exclusive lock on a data folder: one writer at a time. A lock whose process is gone is taken
 * over; a live one gives `locked` naming its owner.
 */
export async function acquireLock(dataDir: string): Promise<Result<DataFolderLock>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  let info: LockInfo = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    token: PROCESS_TOKEN,
    processStart: processStartOf(process.pid),
    adminUrl: null,
    gatewayUrl: null,
  };
  for (let attempt = 0; attempt < 30; attempt += 1) {
    try {
      await writeFile(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      let released = false;
      return ok({
        async update(partial) {
          if (released) return;
          info = { ...info, ...partial };
          const temp = `${file}.${process.pid}.tmp`;
          await writeFile(temp, JSON.stringify(info), { mode: 0o600 });
          await rename(temp, file);
        },
        async release() {
          if (released) return;
          released = true;
          const current = await readLockFile(file);
          if (current?.token === PROCESS_TOKEN) await rm(file, { force: true });
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        return fail('locked', `CertGate cannot create its lock in ${dataDir}: ${(err as Error).message}`);
      }
    }
    const owner = await readLockFile(file);
    if (owner && isAlive(owner)) {
      return fail(
        'locked',
        `Another CertGate (process ${owner.pid}) is using the data folder ${dataDir}. Use that one, or stop it first.`,
        { pid: owner.pid, adminUrl: owner.adminUrl },
      );
    }
    if (!owner) {
      // A lock just created by another process may not hold its content yet: give it a moment.
      const age = await stat(file).then((s) => Date.now() - s.mtimeMs, () => Infinity);
      if (age < 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
    }
    await takeOverStale(dataDir, file, owner);
  }
  return fail('locked', `CertGate could not take the lock on ${dataDir}; another process keeps taking it.`);
}

/** Remove a stale lock, one process at a time (a directory is the mutex), and only if it is still the same one. */
async function takeOverStale(dataDir: string, file: string, seen: LockInfo | null): Promise<void> {
  const mutex = path.join(dataDir, `${LOCK_FILE}.takeover`);
  try {
    await mkdir(mutex);
  } catch {
    // Another process is taking over; if it died doing so, its mutex goes stale after 10 s.
    const age = await stat(mutex).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > 10_000) await rmdir(mutex).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  try {
    const now = await readLockFile(file);
    const same = now === null ? seen === null : seen !== null && now.token === seen.token && now.startedAt === seen.startedAt;
    if (same && !(now && isAlive(now))) await rm(file, { force: true });
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}

async function readLockFile(file: string): Promise<LockInfo | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    if (typeof value.pid !== 'number') return null;
    return {
      pid: value.pid,
      startedAt: String(value.startedAt ?? ''),
      // A lock from a CertGate before tokens: no token, so never mistaken for ours.
      token: typeof value.token === 'string' ? value.token : '',
      processStart: typeof value.processStart === 'string' ? value.processStart : null,
      adminUrl: typeof value.adminUrl === 'string' ? value.adminUrl : null,
      gatewayUrl: typeof value.gatewayUrl === 'string' ? value.gatewayUrl : null,
    };
  } catch {
    return null;
  }
}

/** This process's token (see `LockInfo.token`). */
const PROCESS_TOKEN = randomUUID();

/**
 * Whether the owner of a lock still runs. Our own pid counts only with our token (PID 1 in a container is
 * every run's pid). Another pid must exist and, where the OS says when it started, have started when the
 * lock says: a reused pid is not the owner.
 */
function isAlive(info: LockInfo): boolean {
  if (info.pid === process.pid) return info.token === PROCESS_TOKEN;
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = info.processStart === null ? null : processStartOf(info.pid);
  return start === null || start === info.processStart;
}

/** A process's start time in clock ticks since boot (Linux /proc/<pid>/stat field 22); null elsewhere. */
function processStartOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
