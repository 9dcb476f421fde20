import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../../main/core/app/core';
import { FileSecretStore } from '../../../helpers/file-secret-store';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Runs `body` in a child process on the data folder, with a crash point: `Vault.prototype.put` or the
 * store's rename is patched to SIGKILL the process right after (or before) it, as a power cut would.
 */
function runAndCrash(dataDir: string, keychain: string, crashAt: 'after-vault-put' | 'before-store-rename' | 'never', body: string): Promise<number | null> {
  const script = `
    import fsp from 'node:fs/promises';
    import { syncBuiltinESMExports } from 'node:module';
    import { openCore } from './main/core/app/core.ts';
    import { Vault } from './main/core/vault/vault.ts';
    import { FileSecretStore } from './test/helpers/file-secret-store.ts';
    const [dataDir, keychain, crashAt] = process.argv.slice(1);
    const opened = await openCore({ dataDir, secretStore: new FileSecretStore(keychain) });
    if (!opened.ok) { console.error(opened.error.message); process.exit(3); }
    const core = opened.value;
    if (crashAt === 'after-vault-put') {
      const put = Vault.prototype.put;
      Vault.prototype.put = async function (...args) { const r = await put.apply(this, args); process.kill(process.pid, 'SIGKILL'); return r; };
    }
    if (crashAt === 'before-store-rename') {
      const rename = fsp.rename;
      fsp.rename = async (from, to) => { if (String(to).endsWith('certgate.json')) process.kill(process.pid, 'SIGKILL'); return rename(from, to); };
      syncBuiltinESMExports();
    }
    ${body}
    process.exit(0);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir, keychain, crashAt], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code));
  });
}

describe('crash safety: a process killed between the steps of a change', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let c1: MadeCertificate;
  let c2: MadeCertificate;
  let keychain: string;
  beforeAll(async () => {
    dir = await tempDir();
    keychain = path.join(dir.path, 'keychain.json');
    c1 = makeClientPfx(dir.path, 'client1', 'pw1');
    c2 = makeClientPfx(dir.path, 'client2', 'pw2');
  });
  afterAll(async () => dir.remove());

  it('never leaves a certificate without its key, or a policy pointing at nothing', async () => {
    const data = path.join(dir.path, 'data');
    const setup = `
      await core.operations['certificates.upload']({ data: ${JSON.stringify(c1.pfx.toString('base64'))}, password: 'pw1' });
      await core.operations['apis.create']({ id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://localhost:9' });
      await core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
    `;
    expect(await runAndCrash(data, keychain, 'never', setup)).toBe(0);
    const stableStore = await readFile(path.join(data, 'certgate.json'), 'utf8');

    // 1. Killed after the key reached the vault, before the store knew of the certificate.
    const upload2 = `await core.operations['certificates.upload']({ data: ${JSON.stringify(c2.pfx.toString('base64'))}, password: 'pw2' });`;
    expect(await runAndCrash(data, keychain, 'after-vault-put', upload2)).toBe(-9);
    // 2. Killed while writing the store: switching the API's certificate, and deleting it.
    expect(await runAndCrash(data, keychain, 'never', upload2)).toBe(0);
    const switchAndDelete = `
      await core.operations['security.set']({ apiId: 'orders', security: { type: 'certificate', certificateId: 'client2' } });
    `;
    expect(await runAndCrash(data, keychain, 'before-store-rename', switchAndDelete)).toBe(-9);
    // 3. Killed between the vault write of a basic password and the policy write.
    const basic = `await core.operations['security.set']({ apiId: 'orders', security: { type: 'basic', username: 'u', password: 'pw' } });`;
    expect(await runAndCrash(data, keychain, 'after-vault-put', basic)).toBe(-9);

    const reopened = await openCore({ dataDir: data, secretStore: new FileSecretStore(keychain) });
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    const core = reopened.value;
    const certs = await core.operations['certificates.list']({});
    expect(certs.ok && certs.value.map((c) => c.id).sort()).toEqual(['client1', 'client2']);
    expect(await core.operations['security.get']({ apiId: 'orders' })).toEqual({ ok: true, value: { type: 'certificate', certificateId: 'client1' } });
    // Every stored certificate's key decrypts, and no vault entry is left unreferenced.
    const state = JSON.parse(await readFile(path.join(data, 'certgate.json'), 'utf8')) as { certificates: { secretRef: string }[]; namedValues: unknown[] };
    expect(state.namedValues).toEqual([]);
    const files = (await readdir(path.join(data, 'vault'))).filter((n) => n.endsWith('.bin')).map((n) => n.slice(0, -4)).sort();
    expect(files).toEqual(state.certificates.map((c) => c.secretRef).sort());
    expect(stableStore).toContain('client1');
  });

  it('the gateway configuration builds from what survived', async () => {
    const data = path.join(dir.path, 'data');
    const reopened = await openCore({ dataDir: data, secretStore: new FileSecretStore(keychain) });
    if (!reopened.ok) throw new Error(reopened.error.message);
    let applied: unknown = null;
    await reopened.value.attachGateway({
      apply: (config) => {
        applied = config;
      },
      status: () => ({ state: 'running', url: null, message: null, startedAt: null, counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 }, routes: [] }),
      traffic: () => [],
      onTraffic: () => () => undefined,
      testCall: async () => ({ ok: false, error: { code: 'gateway-unavailable', message: '' } }),
      stop: async () => undefined,
    });
    type Material = { id: string; thumbprint: string; keyPem: string; certPem: string };
    const routes = (applied as { routes: { apiId: string; clientCertificate: Material | null }[] }).routes;
    expect(routes).toHaveLength(1);
    const material = routes[0]?.clientCertificate;
    expect(material?.id).toBe('client1');
    // What survived is a usable pair: the key belongs to the certificate the store names.
    const leaf = new X509Certificate(material?.certPem ?? '');
    expect(leaf.checkPrivateKey(createPrivateKey(material?.keyPem ?? ''))).toBe(true);
    expect(material?.thumbprint).toBe(leaf.fingerprint.replaceAll(':', ''));
  });
});
