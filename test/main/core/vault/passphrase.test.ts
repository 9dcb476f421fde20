/**
 * The passphrase vault (headless machines): the data key wrapped with scrypt in the data folder, chosen
 * deliberately and recorded, never a fallback; a wrong passphrase is `bad-passphrase` and changes nothing.
 * Most cases use a low scrypt cost for speed; one checks the default cost a real vault gets.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../../main/core/app/core';
import { PassphraseSecretStore, SCRYPT_COST, type ScryptCost } from '../../../../main/core/vault/passphrase-store';
import { openKeyholder, PASSPHRASE_KEY_FILE, PROTECTION_FILE, readProtection } from '../../../../main/core/vault/protection';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { Vault } from '../../../../main/core/vault/vault';
import { makeClientPfx } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

const CHEAP: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple';

/** Every file of a folder with its content hash: "changes nothing" is checked against this. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}

async function open(dataDir: string, passphrase: string | null, keychain = new MemorySecretStore()) {
  const holder = await openKeyholder(dataDir, { passphrase, keychain, scryptCost: CHEAP });
  if (!holder.ok) return { holder, vault: null };
  return { holder, vault: await Vault.open(dataDir, holder.value.store) };
}

describe('the passphrase vault', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => dir.remove());

  it('a passphrase for a new folder chooses the passphrase vault: recorded, keys readable again with it, the passphrase stored nowhere', async () => {
    const keychain = new MemorySecretStore();
    keychain.available = false;
    const first = await open(dir.path, PASSPHRASE, keychain);
    expect(first.holder.ok && first.holder.value.protection).toBe('passphrase');
    const ref = Vault.newRef();
    expect((await first.vault!.put(ref, 'private key material')).ok).toBe(true);
    expect(await readProtection(dir.path)).toBe('passphrase');
    expect((await readFile(path.join(dir.path, 'vault', PROTECTION_FILE), 'utf8')).trim()).toBe('passphrase');

    const again = await open(dir.path, PASSPHRASE, keychain);
    expect(await again.vault!.get(ref)).toEqual({ ok: true, value: 'private key material' });
    // Neither the passphrase nor the secret is anywhere in the folder in the clear; the keychain was never asked.
    for (const file of Object.keys(await snapshot(dir.path))) {
      const text = (await readFile(path.join(dir.path, file))).toString('latin1');
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toContain('private key material');
    }
    expect(keychain.secrets.size).toBe(0);
  });

  it('a wrong passphrase is bad-passphrase and changes nothing', async () => {
    const { vault } = await open(dir.path, PASSPHRASE);
    await vault!.put(Vault.newRef(), 'secret');
    const before = await snapshot(dir.path);
    const wrong = await open(dir.path, 'not the passphrase');
    expect(wrong.holder).toMatchObject({ ok: false, error: { code: 'bad-passphrase' } });
    expect(await snapshot(dir.path)).toEqual(before);
  });

  it('without the passphrase a passphrase folder opens locked: reads and writes are passphrase-required (nothing stored) until unlocked', async () => {
    const { vault } = await open(dir.path, PASSPHRASE);
    const ref = Vault.newRef();
    await vault!.put(ref, 'secret');
    const before = await snapshot(dir.path);

    const locked = await open(dir.path, null);
    expect(locked.holder.ok && locked.holder.value.locked()).toBe(true);
    expect(await locked.vault!.get(ref)).toMatchObject({ ok: false, error: { code: 'passphrase-required' } });
    expect(await locked.vault!.put(Vault.newRef(), 'another')).toMatchObject({ ok: false, error: { code: 'passphrase-required' } });
    expect(await snapshot(dir.path)).toEqual(before);

    const holder = locked.holder.ok ? locked.holder.value : null;
    expect(await holder!.unlock('wrong passphrase')).toMatchObject({ ok: false, error: { code: 'bad-passphrase' } });
    expect(holder!.locked()).toBe(true);
    expect((await holder!.unlock(PASSPHRASE)).ok).toBe(true);
    expect(holder!.locked()).toBe(false);
    expect(await locked.vault!.get(ref)).toEqual({ ok: true, value: 'secret' });
  });

  it('never a silent switch: a keychain folder refuses a passphrase; a keychain folder is recorded at its first key', async () => {
    const keychain = new MemorySecretStore();
    const { holder, vault } = await open(dir.path, null, keychain);
    expect(holder.ok && holder.value.protection).toBe('keychain');
    expect(await readProtection(dir.path)).toBeNull();
    await vault!.put(Vault.newRef(), 'secret');
    expect(await readProtection(dir.path)).toBe('keychain');
    const before = await snapshot(dir.path);
    const refused = await open(dir.path, PASSPHRASE, keychain);
    expect(refused.holder).toMatchObject({ ok: false, error: { code: 'passphrase-not-used' } });
    expect(await snapshot(dir.path)).toEqual(before);
  });

  it('a folder from before the choice existed (entries, no record) counts as keychain', async () => {
    const keychain = new MemorySecretStore();
    const legacy = await Vault.open(dir.path, keychain);
    await legacy.put(Vault.newRef(), 'secret');
    expect(await readProtection(dir.path)).toBe('keychain');
    expect((await open(dir.path, PASSPHRASE, keychain)).holder).toMatchObject({ ok: false, error: { code: 'passphrase-not-used' } });
  });

  it('no keychain and no passphrase: keychain-unavailable, which names the passphrase vault as the deliberate alternative', async () => {
    const keychain = new MemorySecretStore();
    keychain.available = false;
    const { vault } = await open(dir.path, null, keychain);
    const put = await vault!.put(Vault.newRef(), 'secret');
    expect(put).toMatchObject({ ok: false, error: { code: 'keychain-unavailable' } });
    expect(!put.ok && put.error.message).toContain('--vault-passphrase-stdin or CERTGATE_VAULT_PASSPHRASE_FILE');
    expect(await readProtection(dir.path)).toBeNull();
  });

  it('a new vault needs a passphrase of 8 characters or more; a too short one records nothing', async () => {
    expect((await open(dir.path, 'short')).holder).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await readProtection(dir.path)).toBeNull();
  });

  it('a damaged or crafted key file (absurd scrypt cost) is store-corrupt, never derived', async () => {
    const { vault } = await open(dir.path, PASSPHRASE);
    await vault!.put(Vault.newRef(), 'secret');
    const file = path.join(dir.path, 'vault', PASSPHRASE_KEY_FILE);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...stored, kdf: { ...stored.kdf, N: 2 ** 30 } }));
    expect((await open(dir.path, PASSPHRASE)).holder).toMatchObject({ ok: false, error: { code: 'store-corrupt' } });
  });

  it('a real vault is created with scrypt N=2^17, r=8, p=1 (the cost is stored with the wrapped key)', async () => {
    expect(SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const file = path.join(dir.path, 'key.json');
    const store = new PassphraseSecretStore(file);
    expect((await store.unlock(PASSPHRASE)).ok).toBe(true);
    await store.set('data-key:x', 'c2VjcmV0');
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    const reopened = new PassphraseSecretStore(file);
    expect(await reopened.unlock('wrong passphrase')).toMatchObject({ ok: false, error: { code: 'bad-passphrase' } });
    expect((await reopened.unlock(PASSPHRASE)).ok).toBe(true);
    expect(await reopened.get('data-key:x')).toBe('c2VjcmV0');
  });
});

describe('the core on a passphrase vault (app.info, vault.unlock)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => dir.remove());

  it('reports the protection; a locked vault refuses an upload (nothing stored) until vault.unlock opens it', async () => {
    const pfx = makeClientPfx(dir.path, 'client1', 'pa55');
    const data = (await readFile(pfx.pfxPath)).toString('base64');
    const other = (await readFile(makeClientPfx(dir.path, 'client2', 'pa55').pfxPath)).toString('base64');
    const dataDir = path.join(dir.path, 'data');
    const first = await openCore({ dataDir, vaultPassphrase: PASSPHRASE, scryptCost: CHEAP });
    if (!first.ok) throw new Error(first.error.message);
    expect(await first.value.operations['app.info']({})).toEqual({ ok: true, value: { dataDir, vault: { protection: 'passphrase', locked: false } } });
    expect((await first.value.operations['certificates.upload']({ data, password: 'pa55', id: 'one' })).ok).toBe(true);
    await first.value.flush();

    const core = await openCore({ dataDir, scryptCost: CHEAP });
    if (!core.ok) throw new Error(core.error.message);
    const ops = core.value.operations;
    expect(await ops['app.info']({})).toMatchObject({ ok: true, value: { vault: { protection: 'passphrase', locked: true } } });
    const refused = await ops['certificates.upload']({ data: other, password: 'pa55', id: 'two' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'passphrase-required' } });
    const list = await ops['certificates.list']({});
    expect(list.ok && list.value.map((c) => c.id)).toEqual(['one']);

    const events: string[] = [];
    core.value.subscribe('changes', (e) => events.push(e.kind));
    expect(await ops['vault.unlock']({ passphrase: 'wrong passphrase' })).toMatchObject({ ok: false, error: { code: 'bad-passphrase' } });
    expect(await ops['vault.unlock']({ passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { vault: { protection: 'passphrase', locked: false } } });
    expect(events).toEqual(['vault']);
    expect((await ops['certificates.upload']({ data: other, password: 'pa55', id: 'two' })).ok).toBe(true);
    await core.value.flush();
  });

  it('a keychain folder: app.info says keychain, vault.unlock is passphrase-not-used', async () => {
    const core = await openCore({ dataDir: dir.path, secretStore: new MemorySecretStore() });
    if (!core.ok) throw new Error(core.error.message);
    expect(await core.value.operations['app.info']({})).toMatchObject({ ok: true, value: { vault: { protection: 'keychain', locked: false } } });
    expect(await core.value.operations['vault.unlock']({ passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'passphrase-not-used' } });
  });
});
