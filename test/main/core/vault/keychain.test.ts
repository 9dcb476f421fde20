import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../../main/core/vault/secret-store';
import { Vault } from '../../../../main/core/vault/vault';
import { tempDir } from '../../../helpers/temp-dir';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const HAS_BUS = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const REQUIRED = process.env.CERTGATE_REQUIRE_KEYCHAIN === '1';

/** Run a vault operation in a child process with the given environment; returns its JSON output. */
function runChild(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ code: string | null; stdout: string }> {
  const script = `
    import { KeytarSecretStore } from './main/core/vault/secret-store.ts';
    import { Vault } from './main/core/vault/vault.ts';
    const vault = await Vault.open(process.argv[1], new KeytarSecretStore('CertGate-test'));
    const r = await vault.put(Vault.newRef(), 'secret');
    console.log(JSON.stringify(r.ok ? { ok: true } : r.error));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir], { cwd: ROOT, env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const last = stdout.trim().split('\n').pop() ?? '{}';
      resolve({ code: (JSON.parse(last) as { code?: string }).code ?? null, stdout });
    });
  });
}

describe('the OS keychain (keytar, Secret Service in CI)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('is present when CI requires it (never skipped silently)', () => {
    if (REQUIRED) expect(HAS_BUS, 'CERTGATE_REQUIRE_KEYCHAIN=1 but no D-Bus session: start the tests inside dbus-run-session').toBe(true);
  });

  it('stores, reads and deletes a secret in the real keychain, and the vault works on it', async () => {
    const store = new KeytarSecretStore('CertGate-test');
    const account = `test-${process.pid}-${Date.now()}`;
    if (!HAS_BUS) {
      // Without a bus keytar must fail; the vault maps that to keychain-unavailable (tested below too).
      await expect(store.get(account)).rejects.toThrow();
      return;
    }
    await store.set(account, 'value-1');
    expect(await store.get(account)).toBe('value-1');
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();

    const vault = await Vault.open(dir.path, store);
    const ref = Vault.newRef();
    expect((await vault.put(ref, 'private key material')).ok).toBe(true);
    const reopened = await Vault.open(dir.path, new KeytarSecretStore('CertGate-test'));
    expect(await reopened.get(ref)).toEqual({ ok: true, value: 'private key material' });
    await reopened.delete(ref);
    expect((await reopened.get(ref)).ok).toBe(false);
  });

  it('maps a missing keychain (no D-Bus session) to keychain-unavailable and writes nothing', async () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const { code } = await runChild(env, dir.path);
    expect(code).toBe('keychain-unavailable');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(path.join(dir.path, 'vault'))).filter((n) => n.endsWith('.bin'))).toEqual([]);
  });
});
