import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend, type EchoBackend, type EchoResponse } from '../../../main/cli/tools/echo-backend';
import { certgate, startCertgate } from '../../helpers/cli';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../helpers/openssl';
import { tempDir } from '../../helpers/temp-dir';

// serve keeps keys in the OS keychain: run inside a D-Bus session with gnome-keyring (CI does).
const HAS_KEYCHAIN = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

describe.runIf(HAS_KEYCHAIN)('certgate serve with the CLI going through it (one writer)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let echo: EchoBackend;
  let c1: MadeCertificate;
  let c2: MadeCertificate;
  beforeAll(async () => {
    dir = await tempDir();
    c1 = makeClientPfx(dir.path, 'client1', 'one');
    c2 = makeClientPfx(dir.path, 'client2', 'two');
    echo = await startEchoBackend({ port: 0, caOutDir: path.join(dir.path, 'echo-ca'), acceptAnyClientCertificate: true });
  });
  afterAll(async () => {
    await echo?.close();
    await dir?.remove();
  });

  it('a certificate switched from the CLI is presented on the very next call, then serve stops cleanly', async () => {
    const data = path.join(dir.path, 'data');
    const serve = await startCertgate(['serve', '--port', '0', '--admin-port', '0', '--data-dir', data], /APIs: [^\n]*\n/);
    try {
      const gatewayUrl = serve.output.match(/Gateway: (http:\/\/\S+)/)?.[1];
      expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(serve.output).toMatch(/Admin API: http:\/\/127\.0\.0\.1:\d+/);
      expect(serve.output).toContain('Vault: OS keychain\n');
      // The CLI finds the running instance through the lock file and sends its operations there.
      expect((await certgate(['cert', 'import', c1.pfxPath, '--password-stdin', '--data-dir', data], { stdin: 'one' })).code).toBe(0);
      expect((await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--data-dir', data], { stdin: 'two' })).code).toBe(0);
      const created = await certgate(['api', 'create', '--id', 'echo', '--name', 'Echo', '--path', 'echo', '--service-url', echo.url, '--ca', path.join(dir.path, 'echo-ca', 'ca.crt'), '--data-dir', data]);
      expect(created.code, created.stderr).toBe(0);
      expect((await certgate(['api', 'security', 'echo', '--certificate', 'client1', '--data-dir', data])).code).toBe(0);

      const first = (await (await fetch(`${gatewayUrl}/echo/hello?x=1`)).json()) as EchoResponse;
      expect(first.clientCertificate?.thumbprint).toBe(thumbprintOf(c1.certPem));
      expect(first.path).toBe('/hello');

      expect((await certgate(['api', 'security', 'echo', '--certificate', 'client2', '--data-dir', data])).code).toBe(0);
      const second = (await (await fetch(`${gatewayUrl}/echo/hello`)).json()) as EchoResponse;
      expect(second.clientCertificate?.thumbprint).toBe(thumbprintOf(c2.certPem));

      // A second serve on the same folder is refused: one writer.
      const other = await certgate(['serve', '--port', '0', '--admin-port', '0', '--data-dir', data, '--json']);
      expect(other.code).toBe(1);
      expect(JSON.parse(other.stdout).error.code).toBe('locked');
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(existsSync(path.join(data, 'certgate.lock'))).toBe(false);
    // With no instance running, the CLI works on the files itself.
    const list = await certgate(['cert', 'list', '--json', '--data-dir', data]);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id).sort()).toEqual(['client1', 'client2']);
   }, 90_000);
});
