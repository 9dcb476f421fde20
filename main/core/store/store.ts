import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../../preload/contract';
import { errnoCode, ioError, writeFileAtomic, type WriteFileSystem } from './atomic-file';
import { Mutex } from './mutex';
import { migrateStore } from './migrate';
import { emptyStore, storeShapeProblem, type StoreData } from './schema';

/** The store file's name inside the data folder. */
export const STORE_FILE = 'certgate.json';

/** What opening a store may be given besides its folder (tests inject a file system that fails). */
export interface StoreOptions {
  readonly fs?: WriteFileSystem;
}

/**
 * The store: one JSON file in the data folder holding metadata, APIs, policies and settings (the lowdb
 * layout: the whole document, pretty-printed). Writes are atomic (a temporary file renamed over the store)
 * and serialised; readers see only committed data: a change becomes visible once its rename is done, never
 * before. A file that cannot be read is never overwritten.
 */
export class Store {
  readonly #mutex = new Mutex();
  readonly #fs: WriteFileSystem | undefined;
  #data: StoreData;
  readonly file: string;
  #revision = 0;

  private constructor(data: StoreData, file: string, fs: WriteFileSystem | undefined) {
    this.#data = data;
    this.file = file;
    this.#fs = fs;
  }

  /**
   * Open (or create) the store in a data folder. A file that does not parse gives `store-corrupt` and is
   * copied aside once per distinct content; a file that cannot be read at all (permissions) gives `io-error`.
   */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<Result<Store>> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, STORE_FILE);
    const text = await readFile(file, 'utf8').then(
      (t): Result<string | null> => ok(t),
      (err: unknown): Result<string | null> => (errnoCode(err) === 'ENOENT' ? ok(null) : unreadable(file, err)),
    );
    if (!text.ok) return text;
    if (text.value === null) return ok(new Store(emptyStore(), file, options.fs));
    let data: unknown;
    try {
      data = JSON.parse(text.value);
    } catch (err) {
      return corrupt(file, text.value, err instanceof Error ? err.message : String(err));
    }
    const problem = storeShapeProblem(data);
    if (problem) return corrupt(file, text.value, problem);
    return ok(new Store(migrateStore(data as Record<string, unknown>), file, options.fs));
  }

  /** The committed data. Treat it as read-only: change it through `update`. */
  get data(): Readonly<StoreData> {
    return this.#data;
  }

  /** Increases with every committed change (for caches derived from the data). */
  get revision(): number {
    return this.#revision;
  }

  /**
   * Change the store: `change` gets a private copy to edit and returns a result. A failure, or a write that
   * fails (`io-error`: disk full, no permission), leaves both the file and the memory as they were. Readers
   * see the copy only once it is on disk. Calls run one at a time.
   */
  update<T>(change: (draft: StoreData) => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    return this.#mutex.run(async () => {
      const draft = structuredClone(this.#data);
      const result = await change(draft);
      if (!result.ok) return result;
      try {
        await writeFileAtomic(this.file, JSON.stringify(draft, null, 2), { fs: this.#fs });
      } catch (err) {
        return ioError<T>(this.file, err);
      }
      this.#data = draft;
      this.#revision += 1;
      return result;
    });
  }

  /** Wait for every queued change to be written. */
  flush(): Promise<void> {
    return this.#mutex.run(async () => undefined);
  }
}

function unreadable(file: string, err: unknown): Result<never> {
  const reason = errnoCode(err) === 'EACCES' || errnoCode(err) === 'EPERM' ? 'CertGate has no permission to read it' : err instanceof Error ? err.message : String(err);
  return fail('io-error', `CertGate cannot read its store ${file}: ${reason}. Nothing was changed; fix the folder's permissions, then try again.`, {
    file,
    errno: errnoCode(err),
  });
}

/**
 * A store that does not parse: reported, never overwritten, and copied aside once per distinct content (the
 * copy is named by a hash of it), so a command repeated by a cron job does not fill the disk with copies.
 */
async function corrupt(file: string, content: string, reason: string): Promise<Result<never>> {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 16);
  const aside = `${file}.corrupt-${digest}`;
  let kept: string | null = null;
  try {
    await copyFile(file, aside, constants.COPYFILE_EXCL);
    kept = aside;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') kept = aside;
    // A copy that failed half-way (disk full) is removed; the original stays where it is either way.
    else await rm(aside, { force: true }).catch(() => undefined);
  }
  return fail(
    'store-corrupt',
    `CertGate cannot read its store ${file}: ${reason}. It was left untouched${kept ? ` and a copy is kept at ${kept}` : ''}; ` +
      'repair it or move it away to start with an empty store.',
    { file, copy: kept },
  );
}
