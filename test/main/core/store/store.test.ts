import * as fs from 'node:fs/promises';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../preload/contract';
import type { WriteFileSystem } from '../../../../main/core/store/atomic-file';
import { STORE_FILE, Store } from '../../../../main/core/store/store';
import { SCHEMA_VERSION } from '../../../../main/core/store/schema';
import { tempDir } from '../../../helpers/temp-dir';
import { CAN_MOUNT_TMPFS, onSmallTmpfs } from '../../../helpers/small-tmpfs';

describe('Store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('creates an empty store with a schema version and persists changes to disk', async () => {
    const store = await Store.open(dir.path);
    expect(store.ok).toBe(true);
    if (!store.ok) return;
    expect(store.value.data.schemaVersion).toBe(SCHEMA_VERSION);
    const r = await store.value.update((d) => {
      d.settings = { language: 'fr', theme: 'dark' };
      return ok('done');
    });
    expect(r).toEqual({ ok: true, value: 'done' });
    const onDisk = JSON.parse(await readFile(path.join(dir.path, STORE_FILE), 'utf8'));
    expect(onDisk.settings).toEqual({ language: 'fr', theme: 'dark' });
    const reopened = await Store.open(dir.path);
    expect(reopened.ok && reopened.value.data.settings.language).toBe('fr');
  });

  it('a failed change leaves memory and file as they were', async () => {
    const store = await Store.open(dir.path);
    if (!store.ok) throw new Error('open');
    await store.value.update((d) => {
      d.settings = { language: 'en', theme: 'light' };
      return ok(null);
    });
    const before = await readFile(path.join(dir.path, STORE_FILE), 'utf8');
    const r = await store.value.update((d) => {
      d.settings = { language: 'fr', theme: 'dark' };
      return fail('validation', 'no');
    });
    expect(r.ok).toBe(false);
    expect(store.value.data.settings.language).toBe('en');
    expect(await readFile(path.join(dir.path, STORE_FILE), 'utf8')).toBe(before);
  });

  it('serialises concurrent changes: none is lost', async () => {
    const store = await Store.open(dir.path);
    if (!store.ok) throw new Error('open');
    const writes = Array.from({ length: 50 }, (_, i) =>
      store.value.update(async (d) => {
        await new Promise((resolve) => setImmediate(resolve));
        d.namedValues.push({ name: `n${i}`, secretRef: `ref-${i}-abcdefgh`, createdAt: '' });
        return ok(i);
      }),
    );
    await Promise.all(writes);
    expect(store.value.data.namedValues).toHaveLength(50);
    const onDisk = JSON.parse(await readFile(path.join(dir.path, STORE_FILE), 'utf8'));
    expect(onDisk.namedValues).toHaveLength(50);
    expect(store.value.revision).toBe(50);
  });

  it('a corrupt file is reported, kept aside, and never overwritten', async () => {
    const file = path.join(dir.path, STORE_FILE);
    await writeFile(file, '{"schemaVersion": 1, "certificates": [');
    const store = await Store.open(dir.path);
    expect(store.ok).toBe(false);
    if (store.ok) return;
    expect(store.error.code).toBe('store-corrupt');
    expect(store.error.message).toContain(file);
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1, "certificates": [');
    const names = await readdir(dir.path);
    expect(names.some((n) => n.startsWith(`${STORE_FILE}.corrupt-`))).toBe(true);
  });

  it('keeps one copy aside per distinct corrupt content, however often it is opened', async () => {
    const file = path.join(dir.path, STORE_FILE);
    const copies = async () => (await readdir(dir.path)).filter((n) => n.startsWith(`${STORE_FILE}.corrupt-`));
    await writeFile(file, '{"schemaVersion": 1, "certificates": [');
    const first = await Store.open(dir.path);
    for (let i = 0; i < 5; i += 1) await Store.open(dir.path);
    expect(await copies()).toHaveLength(1);
    // The same copy is named each time, and holds the content.
    const again = await Store.open(dir.path);
    const copy = !first.ok && (first.error.details as { copy: string }).copy;
    expect(!again.ok && (again.error.details as { copy: string }).copy).toBe(copy);
    expect(await readFile(copy as string, 'utf8')).toBe('{"schemaVersion": 1, "certificates": [');
    await writeFile(file, '{"schemaVersion": 1, "apis": [');
    await Store.open(dir.path);
    await Store.open(dir.path);
    expect(await copies()).toHaveLength(2);
  });

  it('refuses a file of the wrong shape or from a newer CertGate', async () => {
    const file = path.join(dir.path, STORE_FILE);
    await writeFile(file, '[1,2,3]');
    const wrong = await Store.open(dir.path);
    expect(!wrong.ok && wrong.error.code).toBe('store-corrupt');
    await writeFile(file, JSON.stringify({ schemaVersion: 99, certificates: [] }));
    const newer = await Store.open(dir.path);
    expect(!newer.ok && newer.error.message).toContain('newer CertGate');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, apis: {} }));
    const badList = await Store.open(dir.path);
    expect(!badList.ok && badList.error.message).toContain('"apis" is not a list');
  });

  it('readers see only committed data: a change is invisible while it is being written', async () => {
    let written!: () => void;
    const writing = new Promise<void>((resolve) => (written = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: WriteFileSystem = {
      writeFile: async (file, data, options) => {
        written();
        await gate;
        await fs.writeFile(file, data, options);
      },
      rename: fs.rename,
      rm: fs.rm,
    };
    const store = await Store.open(dir.path, { fs: slow });
    if (!store.ok) throw new Error('open');
    const update = store.value.update((d) => {
      d.settings = { language: 'fr', theme: 'dark' };
      return ok(null);
    });
    await writing;
    expect(store.value.data.settings.language).not.toBe('fr');
    expect(store.value.revision).toBe(0);
    release();
    expect((await update).ok).toBe(true);
    expect(store.value.data.settings.language).toBe('fr');
    expect(store.value.revision).toBe(1);
  });

  function failing(code: string, at: 'writeFile' | 'rename'): WriteFileSystem {
    const error = () => Object.assign(new Error(`${code}: simulated`), { code });
    return {
      writeFile: async (file, data, options) => {
        // A full disk fails part-way: the temporary file exists, truncated.
        if (at === 'writeFile') {
          await fs.writeFile(file, String(data).slice(0, 10), options);
          throw error();
        }
        await fs.writeFile(file, data, options);
      },
      rename: async (from, to) => {
        if (at === 'rename') throw error();
        await fs.rename(from, to);
      },
      rm: fs.rm,
    };
  }

  for (const [code, at] of [['ENOSPC', 'writeFile'], ['EACCES', 'writeFile'], ['EACCES', 'rename'], ['EROFS', 'rename']] as const) {
    it(`a write that fails with ${code} (${at}) is io-error: nothing changed, no temporary file left`, async () => {
      const plain = await Store.open(dir.path);
      if (!plain.ok) throw new Error('open');
      await plain.value.update((d) => {
        d.settings = { language: 'en', theme: 'light' };
        return ok(null);
      });
      const before = await readFile(path.join(dir.path, STORE_FILE), 'utf8');
      const store = await Store.open(dir.path, { fs: failing(code, at) });
      if (!store.ok) throw new Error('open');
      const r = await store.value.update((d) => {
        d.settings = { language: 'fr', theme: 'dark' };
        return ok(null);
      });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('io-error');
      expect(r.error.message).toContain('Nothing was changed');
      expect(r.error.details).toMatchObject({ errno: code });
      expect(store.value.data.settings.language).toBe('en');
      expect(store.value.revision).toBe(0);
      expect(await readFile(path.join(dir.path, STORE_FILE), 'utf8')).toBe(before);
      expect(await readdir(dir.path)).toEqual([STORE_FILE]);
    });
  }

  // A real full file system: a 64 KiB tmpfs (needs root and a kernel that lets this container mount one).
  it.runIf(CAN_MOUNT_TMPFS)('on a really full disk: io-error, the store intact, no temporary file', async (ctx) => {
    await onSmallTmpfs(dir.path, ctx, async (mount) => {
      const store = await Store.open(mount);
      if (!store.ok) throw new Error('open');
      expect((await store.value.update((d) => ((d.settings = { language: 'en', theme: 'light' }), ok(null)))).ok).toBe(true);
      const before = await readFile(path.join(mount, STORE_FILE), 'utf8');
      // Fill what is left, then ask for a change bigger than any free block.
      await fs.writeFile(path.join(mount, 'filler'), Buffer.alloc(60 * 1024)).catch(() => undefined);
      const r = await store.value.update((d) => {
        d.namedValues.push({ name: 'big', secretRef: 'x'.repeat(64 * 1024), createdAt: '' });
        return ok(null);
      });
      expect(!r.ok && r.error.code).toBe('io-error');
      expect(!r.ok && r.error.details).toMatchObject({ errno: 'ENOSPC' });
      expect(store.value.data.namedValues).toHaveLength(0);
      expect(await readFile(path.join(mount, STORE_FILE), 'utf8')).toBe(before);
      expect((await readdir(mount)).sort()).toEqual(['certgate.json', 'filler']);
    });
  });
});
