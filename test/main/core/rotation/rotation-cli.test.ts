import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExpiringCertificate, Rotation, RotationResult } from '../../../../preload/contract';
import { main } from '../../../../main/cli/index';
import { startEchoBackend } from '../../../../main/cli/tools/echo-backend';
import { certgate } from '../../../helpers/cli';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';

// The CLI keeps keys in the real OS keychain: run inside a D-Bus session with gnome-keyring (see the README).
describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('certgate cert rotate / list --expiring (subprocess)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let oldCert: MadeCertificate;
  let newCert: MadeCertificate;
  let data: string;
  const cli = (args: string[], stdin?: string) => certgate([...args, '--data-dir', data], stdin === undefined ? {} : { stdin });

  beforeAll(async () => {
    dir = await tempDir();
    data = path.join(dir.path, 'data');
    oldCert = makeClientPfx(dir.path, 'client1', 'pw-old', { days: 10 });
    newCert = makeClientPfx(dir.path, 'client1-next', 'pw-new', { days: 400 });
    expect((await cli(['cert', 'import', oldCert.pfxPath, '--password-stdin', '--json'], 'pw-old')).code).toBe(0);
    // Nothing listens on port 9: every preflight diagnosis fails.
    expect((await cli(['api', 'create', '--id', 'orders', '--name', 'Orders', '--path', 'orders', '--service-url', 'https://localhost:9'])).code).toBe(0);
    expect((await cli(['api', 'security', 'orders', '--certificate', 'client1'])).code).toBe(0);
  });
  afterAll(async () => dir.remove());

  it('cert list --expiring exits 3 when certificates expire within the window, 0 when none do', async () => {
    const human = await cli(['cert', 'list', '--expiring', '30']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/^ID\s+EXPIRES\s+WHICH\s+THUMBPRINT\s+USED BY\n/);
    expect(human.stdout).toMatch(/client1\s+\S+ \(expires in (9|10) days\)\s+certificate\s+.+\s+Orders/);
    const json = await cli(['cert', 'list', '--expiring', '30', '--json']);
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as ExpiringCertificate[]).map((e) => [e.certificateId, e.threshold, e.usedBy.map((u) => u.apiId)])).toEqual([['client1', 30, ['orders']]]);
    const none = await cli(['cert', 'list', '--expiring', '5']);
    expect(none).toMatchObject({ code: 0, stdout: 'No client certificate expires within 5 days.\n' });
    expect(JSON.parse((await cli(['cert', 'list', '--expiring', '5', '--json'])).stdout)).toEqual([]);
    const bad = await cli(['cert', 'list', '--expiring', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expiring takes a number of days');
  });

  it('cert rotate: a script without --yes switches nothing when the preflight fails; --yes switches; rollback restores', async () => {
    const refused = await cli(['cert', 'rotate', 'client1', newCert.pfxPath, '--password-stdin'], 'pw-new');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('FAILED  Orders (orders)');
    expect(refused.stdout).toContain('Nothing was switched: the preflight failed for 1 of 1 APIs.');
    expect((await cli(['api', 'security', 'orders', '--json'])).stdout).toContain('"certificateId": "client1"');

    const forced = await cli(['cert', 'rotate', 'client1', newCert.pfxPath, '--password-stdin', '--yes', '--json'], 'pw-new');
    expect(forced.code).toBe(0);
    const result = JSON.parse(forced.stdout) as RotationResult;
    expect(result).toMatchObject({ switched: ['orders'], newCertificate: { id: 'client1-2', thumbprint: thumbprintOf(newCert.certPem) } });
    expect(result.preflight.map((p) => [p.apiId, p.ok])).toEqual([['orders', false]]);
    const rotationId = result.rotation!.id;
    expect(JSON.parse((await cli(['api', 'security', 'orders', '--json'])).stdout)).toEqual({ type: 'certificate', certificateId: 'client1-2' });
    expect((JSON.parse((await cli(['cert', 'rotations', '--json'])).stdout) as Rotation[]).map((r) => r.id)).toEqual([rotationId]);

    const back = await cli(['cert', 'rollback', rotationId]);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`Rolled back rotation ${rotationId}`);
    expect(JSON.parse((await cli(['api', 'security', 'orders', '--json'])).stdout)).toEqual({ type: 'certificate', certificateId: 'client1' });
    const twice = await cli(['cert', 'rollback', rotationId, '--json']);
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stdout).error.code).toBe('validation');
  });

  it('cert rotate --yes prints what was switched and how to switch back', async () => {
    const human = await cli(['cert', 'rotate', 'client1', newCert.pfxPath, '--password-stdin', '--yes'], 'pw-new');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Switched 1 API from "client1" to "client1-2": Orders.');
    expect(human.stdout).toMatch(/To switch back: certgate cert rollback rot-[0-9a-f]{10}\n/);
    const usage = await cli(['cert', 'rotate', 'client1']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('needs OLD_ID and NEW_FILE');
  });

  it('on a terminal: asks for the password, shows the preflight, and switches only what the operator chose', async () => {
    const echo = await startEchoBackend({ acceptAnyClientCertificate: true, caOutDir: path.join(dir.path, 'echo') });
    const own = path.join(dir.path, 'terminal-data');
    const run = (args: string[], stdin?: string) => certgate([...args, '--data-dir', own], stdin === undefined ? {} : { stdin });
    try {
      expect((await run(['cert', 'import', oldCert.pfxPath, '--password-stdin'], 'pw-old')).code).toBe(0);
      expect((await run(['api', 'create', '--id', 'good', '--name', 'Good', '--path', 'good', '--service-url', echo.url, '--ca', path.join(dir.path, 'echo', 'ca.crt')])).code).toBe(0);
      expect((await run(['api', 'create', '--id', 'bad', '--name', 'Bad', '--path', 'bad', '--service-url', 'https://localhost:9'])).code).toBe(0);
      for (const api of ['good', 'bad']) expect((await run(['api', 'security', api, '--certificate', 'client1'])).code).toBe(0);

      // The command runs in-process on a terminal-like standard input; the answers are typed when asked.
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      let stdout = '';
      let stderr = '';
      const sink = (write: (text: string) => void) =>
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            write(chunk.toString());
            done();
          },
        });
      const io = { stdin, stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)), env: process.env };
      const exit = main(['cert', 'rotate', 'client1', newCert.pfxPath, '--data-dir', own], io);
      await vi.waitFor(() => expect(stderr).toContain('Password for client1-next.pfx: '), { timeout: 20_000 });
      stdin.write('pw-new\r');
      await vi.waitFor(() => expect(stderr).toContain('or (n)othing? [n] '), { timeout: 30_000 });
      expect(stderr).toMatch(/ok {6}Good \(good\)/);
      expect(stderr).toMatch(/FAILED {2}Bad \(bad\)\n {10}backend-unreachable: /);
      stdin.write('p\n');
      expect(await exit).toBe(0);
      expect(stdout).toContain('Switched 1 API from "client1" to "client1-2": Good.');
      expect(stdout).toContain('1 API still presents "client1".');
      expect(JSON.parse((await run(['api', 'security', 'good', '--json'])).stdout)).toEqual({ type: 'certificate', certificateId: 'client1-2' });
      expect(JSON.parse((await run(['api', 'security', 'bad', '--json'])).stdout)).toEqual({ type: 'certificate', certificateId: 'client1' });
    } finally {
      await echo.close();
    }
  });
});
