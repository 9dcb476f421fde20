import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certgate } from '../../helpers/cli';
import { createTestPki, type CertFiles, type TestPki } from '../../helpers/pki';
import { tempDir } from '../../helpers/temp-dir';

// The CLI keeps keys (and the linked file's password) in the OS keychain: run inside a D-Bus session.
const HAS_KEYCHAIN = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

describe.runIf(HAS_KEYCHAIN)('certgate cert link | sync | unlink (on the data folder, no instance running)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pki: TestPki;
  let data: string;
  let linked: string;
  let first: CertFiles;
  let renewed: CertFiles;
  const cli = (args: readonly string[], stdin?: string) => certgate([...args, '--data-dir', data], stdin === undefined ? {} : { stdin });

  beforeAll(async () => {
    dir = await tempDir();
    pki = await createTestPki();
    data = path.join(dir.path, 'data');
    await mkdir(path.join(dir.path, 'certs'));
    linked = path.join(dir.path, 'certs', 'client.pfx');
    first = await pki.issueClient({ cn: 'linked-cli-1' });
    renewed = await pki.issueClient({ cn: 'linked-cli-2' });
    await copyFile((await pki.exportPfx(first, { password: 'pw1' })).path, linked);
  });
  afterAll(async () => {
    await pki?.remove();
    await dir?.remove();
  });

  it('links a file (password from stdin), then syncs it: exit 0 and the state in words', async () => {
    const noId = await cli(['cert', 'link', linked]);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('--id');

    const link = await cli(['cert', 'link', linked, '--id', 'linked1', '--password-stdin'], 'pw1\n');
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain(`Linked client certificate "linked1" to ${linked}.`);
    expect(link.stdout).toContain('version 1 follows');

    const sync = await cli(['cert', 'sync', 'linked1', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ id: 'linked1', thumbprint: first.thumbprint, version: 1, source: { file: linked, state: 'ok', syncError: null } });
  });

  it('a failed sync exits 1 with the reason on stderr, and changes nothing', async () => {
    await writeFile(linked, 'not a certificate file');
    const sync = await cli(['cert', 'sync', 'linked1']);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/^certgate: The sync of "linked1" failed, nothing changed \(still version 1\): .+\(invalid-format\)\n$/);
    expect(sync.stdout).toContain('the last sync failed');

    const json = await cli(['cert', 'sync', 'linked1', '--json']);
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout) as { error: { code: string; details: { certificate: { thumbprint: string; source: { state: string } } } } };
    expect(body.error.code).toBe('invalid-format');
    expect(body.error.details.certificate).toMatchObject({ thumbprint: first.thumbprint, source: { state: 'error' } });
  });

  it('a renewal renamed in is taken by the next sync (version 2), and unlink keeps it as an ordinary certificate', async () => {
    const next = path.join(dir.path, 'certs', 'client.pfx.tmp');
    await copyFile((await pki.exportPfx(renewed, { password: 'pw1' })).path, next);
    await rename(next, linked);
    const sync = await cli(['cert', 'sync', 'linked1', '--json']);
    expect(sync.code, sync.stdout).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ thumbprint: renewed.thumbprint, version: 2, source: { state: 'ok', syncError: null } });

    const unlink = await cli(['cert', 'unlink', 'linked1']);
    expect(unlink.code, unlink.stderr).toBe(0);
    expect(unlink.stdout).toContain('"linked1" no longer follows a file; version 2 stays as an ordinary certificate.');
    const again = await cli(['cert', 'sync', 'linked1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not linked to a file');
    const list = await cli(['cert', 'list', '--json']);
    const ids = (JSON.parse(list.stdout) as { id: string; source?: unknown }[]).map((c) => [c.id, c.source ?? null]);
    expect(ids).toEqual(expect.arrayContaining([['linked1', null], ['linked1-v1', null]]));
  });
});
