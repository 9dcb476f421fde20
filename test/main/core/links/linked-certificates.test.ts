import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../../../preload/contract';
import { openInstance, type Instance } from '../../../../main/core/app/instance';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { createTestPki, type CertFiles, type TestPki } from '../../../helpers/pki';
import { tempDir } from '../../../helpers/temp-dir';
import { call, startBackend, type Echo, type TestBackend } from '../gateway/helpers';

const run = promisify(execFile);

/** A PFX of `cert` protected by `password` (OpenSSL 3 defaults). */
async function pfxOf(pki: TestPki, cert: CertFiles, password: string): Promise<string> {
  return (await pki.exportPfx(cert, { password })).path;
}

/** A PFX whose certificate expired yesterday (OpenSSL 3.0 cannot back-date; node-forge can). */
function expiredPfx(password: string): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0badc0de';
  cert.validity.notBefore = new Date(Date.now() - 30 * 86_400_000);
  cert.validity.notAfter = new Date(Date.now() - 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'expired' }]);
  cert.setIssuer([{ name: 'commonName', value: 'expired' }]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

describe('linked certificates through the real gateway', () => {
  let pki: TestPki;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let backend: TestBackend;
  let instance: Instance;
  const secrets = new MemorySecretStore();
  let linked: string;
  let data: string;
  const versions: CertFiles[] = [];

  const open = async (): Promise<Instance> => {
    const opened = await openInstance({ dataDir: data, secretStore: secrets, gateway: { port: 0 }, admin: false, linkWatch: { settleMs: 1_000, pollMs: 2_000 } });
    if (!opened.ok) throw new Error(opened.error.message);
    return opened.value;
  };
  const current = new Map<string, Certificate>();
  const refresh = async (): Promise<void> => {
    const list = await instance.operations['certificates.list']({});
    if (!list.ok) throw new Error(list.error.message);
    current.clear();
    for (const c of list.value) current.set(c.id, c);
  };
  /** Resolve once a committed change makes `check` true (no sleeping: each change event looks again). */
  const until = (check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out waiting for ${what}`));
      }, timeoutMs);
      const look = () =>
        void refresh().then(() => {
          if (!check()) return;
          clearTimeout(timer);
          stop();
          resolve();
        });
      const stop = instance.subscribe('changes', look);
      look();
    });
  const presented = async (): Promise<string | null> => {
    const reply = await call(instance.gatewayUrl!, '/linked/ping');
    return reply.status === 200 ? reply.json<Echo>().thumbprint : `status ${reply.status}`;
  };
  /** The gateway applies a committed change just after it: look until it presents `thumbprint` (at most 5 s). */
  const presentsSoon = async (thumbprint: string): Promise<string | null> => {
    const deadline = Date.now() + 5_000;
    let seen = await presented();
    while (seen !== thumbprint && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await presented();
    }
    return seen;
  };
  /** Put `source` at the linked path the way renewal tools do: a new file renamed over the old one. */
  const renameIn = async (source: string | Buffer): Promise<void> => {
    const temp = path.join(dir.path, `.incoming-${Date.now()}`);
    if (typeof source === 'string') await copyFile(source, temp);
    else await writeFile(temp, source);
    await rename(temp, linked);
  };

  beforeAll(async () => {
    pki = await createTestPki();
    dir = await tempDir();
    data = path.join(dir.path, 'data');
    linked = path.join(dir.path, 'certs', 'client.pfx');
    await run('mkdir', ['-p', path.dirname(linked)]);
    for (let i = 1; i <= 4; i++) versions.push(await pki.issueClient({ cn: `client v${i}`, days: 30 + i }));
    backend = await startBackend(pki);
    instance = await open();
    const ops = instance.operations;
    expect((await ops['caCertificates.upload']({ id: 'test-ca', pem: pki.ca.certPem })).ok).toBe(true);
    expect((await ops['apis.create']({ id: 'linked', displayName: 'Linked API', path: 'linked', serviceUrl: backend.url, backendTls: { trustedCaCertificateIds: ['test-ca'] } })).ok).toBe(true);
    await copyFile(await pfxOf(pki, versions[0]!, 'pw'), linked);
  }, 60_000);

  afterAll(async () => {
    await instance?.close();
    await backend?.close();
    await dir?.remove();
    await pki?.remove();
  });

  it('links a file: version 1, in sync, the password checked, the gateway presenting it with its version', async () => {
    const wrong = await instance.operations['certificates.link']({ id: 'client', file: linked, password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad-password' } });
    const relative = await instance.operations['certificates.link']({ id: 'client', file: 'certs/client.pfx', password: 'pw' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'validation' } });
    const result = await instance.operations['certificates.link']({ id: 'client', file: linked, password: 'pw' });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value.created).toBe(true);
    expect(result.value.certificate).toMatchObject({ id: 'client', version: 1, thumbprint: versions[0]!.thumbprint, source: { file: linked, state: 'ok', syncError: null } });
    expect(JSON.stringify(result.value)).not.toMatch(/passwordRef|sha256"|secretRef/);
    expect((await instance.operations['security.set']({ apiId: 'linked', security: { type: 'certificate', certificateId: 'client' } })).ok).toBe(true);
    expect(await presented()).toBe(versions[0]!.thumbprint);
    const traffic = await instance.operations['gateway.traffic']({ limit: 1 });
    expect(traffic.ok && traffic.value[0]).toMatchObject({ certificateId: 'client', certificateVersion: 1 });
  });

  it('a renewed file renamed in goes live within 15 s, recorded as a rotation from the kept old version', async () => {
    const renewed = await pfxOf(pki, versions[1]!, 'pw');
    const started = Date.now();
    await renameIn(renewed);
    await until(() => current.get('client')?.version === 2, 'version 2');
    expect(await presentsSoon(versions[1]!.thumbprint)).toBe(versions[1]!.thumbprint);
    const delay = Date.now() - started;
    console.info(`linked renewal live through the gateway ${delay} ms after its rename`);
    expect(delay).toBeLessThan(15_000);
    expect(current.get('client')).toMatchObject({ thumbprint: versions[1]!.thumbprint, source: { state: 'ok' } });
    expect(current.get('client-v1')).toMatchObject({ thumbprint: versions[0]!.thumbprint, version: 1, source: null });
    const rotations = await instance.operations['certificates.rotations']({});
    expect(rotations.ok && rotations.value).toEqual([expect.objectContaining({ fromCertificateId: 'client-v1', toCertificateId: 'client', apiIds: ['linked'] })]);
    const traffic = await instance.operations['gateway.traffic']({ limit: 1 });
    expect(traffic.ok && traffic.value[0]).toMatchObject({ certificateId: 'client', certificateVersion: 2 });
  }, 30_000);

  type Make = () => Promise<string | Buffer | null>;
  const cases: readonly (readonly [string, Make, string])[] = [
    ['broken', async () => Buffer.from('this is not a certificate'), 'invalid-format'],
    ['wrong-password', () => pfxOf(pki, versions[2]!, 'another password'), 'bad-password'],
    ['expired', async () => expiredPfx('pw'), 'validation'],
    ['untrusted (preflight fails)', async () => pfxOf(pki, await pki.issueClient({ cn: 'stranger', ca: await pki.createCa('Other CA') }), 'pw'), 'backend-certificate-rejected'],
    ['missing', async () => null, 'not-found'],
  ];
  it.each(cases)('a %s file changes nothing and is reported, with the APIs at risk', async (_what, make, code) => {
    const file = await make();
    if (file === null) await rm(linked);
    else await renameIn(file);
    await until(() => current.get('client')?.source?.syncError?.code === code, `sync error ${code}`);
    const c = current.get('client')!;
    expect(c).toMatchObject({ version: 2, thumbprint: versions[1]!.thumbprint, source: { state: 'error', syncError: { apisAtRisk: ['Linked API'] } } });
    expect(c.source!.lastGoodSyncAt).not.toBeNull();
    expect(await presented()).toBe(versions[1]!.thumbprint);
  }, 30_000);

  it('a flapping file (rewritten twice in 100 ms) switches once, to its last content; the rollback goes back one version', async () => {
    const before = await instance.operations['certificates.rotations']({});
    const third = await pfxOf(pki, versions[2]!, 'pw');
    const fourth = await pfxOf(pki, versions[3]!, 'pw');
    await renameIn(third);
    await new Promise((r) => setTimeout(r, 100));
    await renameIn(fourth);
    await until(() => current.get('client')?.version === 3, 'version 3');
    expect(current.get('client')).toMatchObject({ thumbprint: versions[3]!.thumbprint, source: { state: 'ok', syncError: null } });
    const after = await instance.operations['certificates.rotations']({});
    expect(after.ok && before.ok && after.value.length - before.value.length).toBe(1);
    expect(await presentsSoon(versions[3]!.thumbprint)).toBe(versions[3]!.thumbprint);
    expect([...current.values()].some((c) => c.thumbprint === versions[2]!.thumbprint)).toBe(false);

    const last = after.ok ? after.value.at(-1)! : null;
    expect(last).toMatchObject({ fromCertificateId: 'client-v2', toCertificateId: 'client' });
    const back = await instance.operations['certificates.rollback']({ rotationId: last!.id });
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect(await presented()).toBe(versions[1]!.thumbprint);
    const traffic = await instance.operations['gateway.traffic']({ limit: 1 });
    expect(traffic.ok && traffic.value[0]).toMatchObject({ certificateId: 'client-v2', certificateVersion: 2 });
    // Back on the linked id for the next test.
    expect((await instance.operations['security.set']({ apiId: 'linked', security: { type: 'certificate', certificateId: 'client' } })).ok).toBe(true);
  }, 30_000);

  it('the link survives a restart: a renewal while closed is picked up at the next start; unlink keeps the version', async () => {
    await instance.close();
    await renameIn(await pfxOf(pki, versions[0]!, 'pw'));
    // versions[0] is stored as client-v1: the file now duplicates it, which a restart must report, not import.
    instance = await open();
    await until(() => current.get('client')?.source?.syncError?.code === 'duplicate', 'the duplicate reported after the restart');
    const fresh = await pki.issueClient({ cn: 'client v5' });
    await instance.close();
    await renameIn(await pfxOf(pki, fresh, 'pw'));
    instance = await open();
    await until(() => current.get('client')?.version === 4, 'version 4 after the restart');
    expect(await presentsSoon(fresh.thumbprint)).toBe(fresh.thumbprint);
    const sync = await instance.operations['certificates.sync']({ id: 'client' });
    expect(sync.ok && sync.value.source).toMatchObject({ state: 'ok' });
    const unlinked = await instance.operations['certificates.unlink']({ id: 'client' });
    expect(unlinked.ok && unlinked.value).toMatchObject({ id: 'client', version: 4, source: null, thumbprint: fresh.thumbprint });
    expect(await instance.operations['certificates.sync']({ id: 'client' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await presented()).toBe(fresh.thumbprint);
  }, 60_000);
});
