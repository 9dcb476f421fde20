import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { Vault } from '../../../../main/core/vault/vault';
import { tempDir } from '../../../helpers/temp-dir';
import { CAN_MOUNT_TMPFS, onSmallTmpfs } from '../../../helpers/small-tmpfs';

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

describe('Vault (envelope encryption)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let secrets: MemorySecretStore;
  beforeEach(async () => {
    dir = await tempDir();
    secrets = new MemorySecretStore();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('puts, gets and deletes a secret; files hold ciphertext only, mode 0600', async () => {
    const vault = await Vault.open(dir.path, secrets);
    const ref = Vault.newRef();
    expect((await vault.put(ref, KEY_PEM)).ok).toBe(true);
    expect(await vault.get(ref)).toEqual({ ok: true, value: KEY_PEM });
    const file = path.join(dir.path, 'vault', `${ref}.bin`);
    const raw = await readFile(file);
    expect(raw.toString('latin1')).not.toContain('PRIVATE KEY');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(secrets.secrets.size).toBe(1);
    await vault.delete(ref);
    expect((await vault.get(ref)).ok).toBe(false);
  });

  it('one data key serves every entry, and a reopened vault reads them', async () => {
    const vault = await Vault.open(dir.path, secrets);
    const refs = [Vault.newRef(), Vault.newRef(), Vault.newRef()];
    for (const ref of refs) await vault.put(ref, `secret ${ref}`);
    expect(secrets.secrets.size).toBe(1);
    const again = await Vault.open(dir.path, secrets);
    for (const ref of refs) expect(await again.get(ref)).toEqual({ ok: true, value: `secret ${ref}` });
  });

  it('an entry moved to another name does not decrypt (bound to its name)', async () => {
    const vault = await Vault.open(dir.path, secrets);
    const a = Vault.newRef();
    await vault.put(a, 'alpha');
    const { rename } = await import('node:fs/promises');
    const b = Vault.newRef();
    await rename(path.join(dir.path, 'vault', `${a}.bin`), path.join(dir.path, 'vault', `${b}.bin`));
    const r = await vault.get(b);
    expect(r.ok).toBe(false);
  });

  it('no keychain: keychain-unavailable and nothing written', async () => {
    secrets.available = false;
    const vault = await Vault.open(dir.path, secrets);
    const r = await vault.put(Vault.newRef(), KEY_PEM);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('keychain-unavailable');
    expect((await readdir(path.join(dir.path, 'vault'))).filter((n) => n.endsWith('.bin'))).toEqual([]);
    // The keychain comes back: the same vault works (a failure is not cached).
    secrets.available = true;
    expect((await vault.put(Vault.newRef(), KEY_PEM)).ok).toBe(true);
  });

  it('a lost keychain item is reported, never replaced by a new key over old entries', async () => {
    const vault = await Vault.open(dir.path, secrets);
    const ref = Vault.newRef();
    await vault.put(ref, 'x');
    secrets.secrets.clear();
    const again = await Vault.open(dir.path, secrets);
    const r = await again.get(ref);
    expect(!r.ok && r.error.code).toBe('keychain-unavailable');
    const put = await again.put(Vault.newRef(), 'y');
    expect(!put.ok && put.error.code).toBe('keychain-unavailable');
    expect(secrets.secrets.size).toBe(0);
  });

  it('sweeps entries nothing references', async () => {
    const vault = await Vault.open(dir.path, secrets);
    const keep = Vault.newRef();
    const orphan = Vault.newRef();
    await vault.put(keep, 'k');
    await vault.put(orphan, 'o');
    expect(await vault.sweep(new Set([keep]))).toBe(1);
    expect((await vault.get(keep)).ok).toBe(true);
    expect((await vault.get(orphan)).ok).toBe(false);
  });
  // A real full file system: a 64 KiB tmpfs (needs root and a kernel that lets this container mount one).
  it.runIf(CAN_MOUNT_TMPFS)('put on a really full disk: io-error, no entry and no temporary file', async (ctx) => {
    await onSmallTmpfs(dir.path, ctx, async (mount) => {
      const vault = await Vault.open(mount, secrets);
      const first = Vault.newRef();
      expect((await vault.put(first, KEY_PEM)).ok).toBe(true);
      const before = (await readdir(path.join(mount, 'vault'))).sort();
      // Fill what is left, then store a secret bigger than any free block.
      await writeFile(path.join(mount, 'filler'), Buffer.alloc(60 * 1024)).catch(() => undefined);
      const ref = Vault.newRef();
      const r = await vault.put(ref, 'x'.repeat(64 * 1024));
      expect(!r.ok && r.error.code).toBe('io-error');
      expect(!r.ok && r.error.message).toContain('Nothing was changed');
      expect(!r.ok && r.error.details).toMatchObject({ errno: 'ENOSPC' });
      expect((await readdir(path.join(mount, 'vault'))).sort()).toEqual(before);
      expect(await vault.get(first)).toEqual({ ok: true, value: KEY_PEM });
    });
  });
});
