import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../../../main/core/store/schema';
import { makeClientPfx, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Run `body` with a core in a child process; with `crashAtRename`, the process SIGKILLs itself right before
 * that (1-based) rename of the store file, as a power cut in the middle of a write would.
 */
function run(dataDir: string, keychain: string, crashAtRename: number, body: string): Promise<number | null> {
  const script = `
    import fsp from 'node:fs/promises';
    import { syncBuiltinESMExports } from 'node:module';
    import { openCore } from './main/core/app/core.ts';
    import { FileSecretStore } from './test/helpers/file-secret-store.ts';
    const [dataDir, keychain, crashAt] = process.argv.slice(1);
    const opened = await openCore({ dataDir, secretStore: new FileSecretStore(keychain) });
    if (!opened.ok) { console.error(opened.error.message); process.exit(3); }
    const core = opened.value;
    let renames = 0;
    const rename = fsp.rename;
    fsp.rename = async (from, to) => {
      if (String(to).endsWith('certgate.json') && ++renames === Number(crashAt)) process.kill(process.pid, 'SIGKILL');
      return rename(from, to);
    };
    syncBuiltinESMExports();
    const check = (r) => { if (!r.ok) { console.error(JSON.stringify(r.error)); process.exit(4); } return r.value; };
    ${body}
    process.exit(0);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir, keychain, String(crashAtRename)], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code));
  });
}

describe('rotation kill-safety: the store holds all of a switch or none of it', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let oldCert: MadeCertificate;
  let newCert: MadeCertificate;
  let data: string;
  let keychain: string;
  const store = async (): Promise<StoreData> => JSON.parse(await readFile(path.join(data, 'certgate.json'), 'utf8')) as StoreData;
  const presenting = (s: StoreData, certificateId: string): string[] =>
    s.apis.filter((a) => a.policyXml.includes(`certificate-id="${certificateId}"`)).map((a) => a.id);

  beforeAll(async () => {
    dir = await tempDir();
    data = path.join(dir.path, 'data');
    keychain = path.join(dir.path, 'keychain.json');
    oldCert = makeClientPfx(dir.path, 'client1', 'pw1');
    newCert = makeClientPfx(dir.path, 'client1-new', 'pw2');
    const setup = `
      check(await core.operations['certificates.upload']({ data: ${JSON.stringify(oldCert.pfx.toString('base64'))}, password: 'pw1' }));
      for (const id of ['a', 'b', 'c']) {
        check(await core.operations['apis.create']({ id, displayName: id, path: id, serviceUrl: 'https://localhost:9' }));
        check(await core.operations['security.set']({ apiId: id, security: { type: 'certificate', certificateId: 'client1' } }));
      }
    `;
    expect(await run(data, keychain, 0, setup)).toBe(0);
  });
  afterAll(async () => dir.remove());

  // The APIs are chosen explicitly, so the switch happens whatever the preflight (no back end here) says.
  const rotate = (): string => `
    const r = check(await core.operations['certificates.rotate']({ id: 'client1', data: '${newCert.pfx.toString('base64')}', password: 'pw2', apiIds: ['a', 'b', 'c'] }));
    if (r.switched.length !== 3) process.exit(5);
  `;

  it('killed during the switch write: the new certificate is uploaded, no API switched, no rotation recorded', async () => {
    // Rename 1 stores the uploaded certificate; rename 2 is the switch.
    expect(await run(data, keychain, 2, rotate())).toBe(-9);
    const s = await store();
    expect(s.certificates.map((c) => c.id)).toEqual(['client1', 'client1-2']);
    expect(presenting(s, 'client1')).toEqual(['a', 'b', 'c']);
    expect(s.rotations).toEqual([]);
  });

  it('run again to the end: every API switched and the rotation recorded, together', async () => {
    expect(await run(data, keychain, 0, rotate())).toBe(0);
    const s = await store();
    expect(s.certificates.map((c) => c.id)).toEqual(['client1', 'client1-2']);
    expect(presenting(s, 'client1-2')).toEqual(['a', 'b', 'c']);
    expect(s.rotations).toHaveLength(1);
    expect(s.rotations[0]).toMatchObject({ fromCertificateId: 'client1', toCertificateId: 'client1-2', apiIds: ['a', 'b', 'c'] });
  });

  it('killed during the rollback write: every API still on the new certificate, the rotation not rolled back', async () => {
    const id = (await store()).rotations[0]!.id;
    const rollback = `check(await core.operations['certificates.rollback']({ rotationId: '${id}' }));`;
    expect(await run(data, keychain, 1, rollback)).toBe(-9);
    let s = await store();
    expect(presenting(s, 'client1-2')).toEqual(['a', 'b', 'c']);
    expect(s.rotations[0]?.rolledBackAt).toBeNull();
    expect(await run(data, keychain, 0, rollback)).toBe(0);
    s = await store();
    expect(presenting(s, 'client1')).toEqual(['a', 'b', 'c']);
    expect(s.rotations[0]?.rolledBackAt).toEqual(expect.any(String));
  });
});
