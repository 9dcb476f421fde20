import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../preload/contract';
import { STORE_FILE, Store } from '../../../../main/core/store/store';
import { tempDir } from '../../../helpers/temp-dir';

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
    expect(store.value.data.schemaVersion).toBe(1);
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
});
