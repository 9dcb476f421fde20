import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { fail, ok, type Result } from '../../../preload/contract';
import { Mutex } from './mutex';
import { emptyStore, SCHEMA_VERSION, storeShapeProblem, type StoreData } from './schema';

/** The store file's name inside the data folder. */
export const STORE_FILE = 'certgate.json';

/**
 * The store: one JSON file (lowdb) in the data folder holding metadata, APIs, policies and settings.
 * Writes are atomic (lowdb's writer writes a temporary file and renames it) and serialised; a change is
 * visible in memory only once it is on disk. A file that cannot be read is never overwritten.
 */
export class Store {
  readonly #db: Low<StoreData>;
  readonly #mutex = new Mutex();
  readonly file: string;
  #revision = 0;

  private constructor(db: Low<StoreData>, file: string) {
    this.#db = db;
    this.file = file;
  }

  /** Open (or create) the store in a data folder; a corrupt file gives `store-corrupt` and is copied aside. */
  static async open(dataDir: string): Promise<Result<Store>> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, STORE_FILE);
    // Not JSONFilePreset: it silently switches to memory when NODE_ENV=test.
    const db = new Low<StoreData>(new JSONFile<StoreData>(file), emptyStore());
    try {
      await db.read();
    } catch (err) {
      return corrupt(file, err instanceof Error ? err.message : String(err));
    }
    const problem = storeShapeProblem(db.data);
    if (problem) return corrupt(file, problem);
    db.data = { ...emptyStore(), ...db.data, schemaVersion: SCHEMA_VERSION };
    return ok(new Store(db, file));
  }

  /** The committed data. Treat it as read-only: change it through `update`. */
  get data(): Readonly<StoreData> {
    return this.#db.data;
  }

  /** Increases with every committed change (for caches derived from the data). */
  get revision(): number {
    return this.#revision;
  }

  /**
   * Change the store: `change` gets a private copy to edit and returns a result. A failure, or a write
   * that fails, leaves both the file and the memory as they were. Calls run one at a time.
   */
  update<T>(change: (draft: StoreData) => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    return this.#mutex.run(async () => {
      const before = this.#db.data;
      const draft = structuredClone(before);
      const result = await change(draft);
      if (!result.ok) return result;
      this.#db.data = draft;
      try {
        await this.#db.write();
      } catch (err) {
        this.#db.data = before;
        return fail('store-corrupt', `CertGate could not save ${this.file}: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`);
      }
      this.#revision += 1;
      return result;
    });
  }

  /** Wait for every queued change to be written. */
  flush(): Promise<void> {
    return this.#mutex.run(async () => undefined);
  }
}

async function corrupt(file: string, reason: string): Promise<Result<never>> {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  let kept: string | null = null;
  try {
    await copyFile(file, aside);
    kept = aside;
  } catch {
    // The original stays where it is either way; the copy is a convenience.
  }
  return fail(
    'store-corrupt',
    `CertGate cannot read its store ${file}: ${reason}. It was left untouched${kept ? ` and a copy was kept at ${kept}` : ''}; ` +
      'repair it or move it away to start with an empty store.',
    { file, copy: kept },
  );
}
