/**
 * "Try it offline" on a machine without a keychain: the passphrase vault from the command line. The
 * passphrase comes from a file named by CERTGATE_VAULT_PASSPHRASE_FILE or from standard input, never argv;
 * a wrong or missing one is a clear error that stores nothing; `certgate serve` says which vault it runs on
 * and its gateway presents the certificate the passphrase opens.
 */
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend, type EchoBackend, type EchoResponse } from '../../../main/cli/tools/echo-backend';
import { certgate, startCertgate } from '../../helpers/cli';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../helpers/openssl';
import { tempDir } from '../../helpers/temp-dir';

const PASSPHRASE = 'offline vault passphrase';
/** No Secret Service: a bus address where nothing listens. */
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certgate-test-bus', DISPLAY: '' };

describe('certgate with a passphrase vault (no keychain)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let c1: MadeCertificate;
  let c2: MadeCertificate;
  let data: string;
  let good: NodeJS.ProcessEnv;
  let wrong: NodeJS.ProcessEnv;
  let echo: EchoBackend;
  beforeAll(async () => {
    dir = await tempDir();
    c1 = makeClientPfx(dir.path, 'client1', 'one');
    c2 = makeClientPfx(dir.path, 'client2', 'two');
    data = path.join(dir.path, 'data');
    const file = path.join(dir.path, 'passphrase');
    await writeFile(file, `${PASSPHRASE}\n`);
    await chmod(file, 0o600);
    const wrongFile = path.join(dir.path, 'wrong');
    await writeFile(wrongFile, 'not the passphrase\n', { mode: 0o600 });
    good = { ...NO_KEYCHAIN, CERTGATE_VAULT_PASSPHRASE_FILE: file };
    wrong = { ...NO_KEYCHAIN, CERTGATE_VAULT_PASSPHRASE_FILE: wrongFile };
    echo = await startEchoBackend({ port: 0, caOutDir: path.join(dir.path, 'echo-ca'), acceptAnyClientCertificate: true });
  });
  afterAll(async () => {
    await echo?.close();
    await dir?.remove();
  });

  const ids = async (): Promise<string[]> => (JSON.parse((await certgate(['cert', 'list', '--json', '--data-dir', data], { env: NO_KEYCHAIN })).stdout) as { id: string }[]).map((c) => c.id);

  it('the passphrase file chooses the vault; wrong, missing or doubled-up passphrases are refused and store nothing', { timeout: 120_000 }, async () => {
    const first = await certgate(['cert', 'import', c1.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'one', env: good });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stderr).toBe('');

    const missing = await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'two', env: NO_KEYCHAIN });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('passphrase-required');

    const bad = await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'two', env: wrong });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'bad-passphrase', message: expect.stringContaining('Nothing was changed') });
    const human = await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--data-dir', data], { stdin: 'two', env: wrong });
    expect(human.stderr).toContain('The vault passphrase is wrong for this data folder. Nothing was changed. (bad-passphrase)');

    const both = await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--vault-passphrase-stdin', '--json', '--data-dir', data], { stdin: 'two', env: NO_KEYCHAIN });
    expect(JSON.parse(both.stdout).error.message).toContain('CERTGATE_VAULT_PASSPHRASE_FILE');
    // The metadata needs no key: the list reads without a passphrase, and only the first import is there.
    expect(await ids()).toEqual(['client1']);
  });

  it('--vault-passphrase-stdin opens it too; a group-readable passphrase file is warned about', { timeout: 60_000 }, async () => {
    const shown = await certgate(['cert', 'show', 'client1', '--vault-passphrase-stdin', '--json', '--data-dir', data], { stdin: `${PASSPHRASE}\n`, env: NO_KEYCHAIN });
    expect(shown.code, shown.stderr).toBe(0);
    const loose = path.join(dir.path, 'loose');
    await writeFile(loose, PASSPHRASE);
    await chmod(loose, 0o644);
    const r = await certgate(['cert', 'import', c2.pfxPath, '--password-stdin', '--json', '--data-dir', data], { stdin: 'two', env: { ...NO_KEYCHAIN, CERTGATE_VAULT_PASSPHRASE_FILE: loose } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stderr).toContain('can be read by other users; chmod 600 it');
    expect(await ids()).toEqual(['client1', 'client2']);
  });

  it('serve refuses to start without the passphrase, and with it says "Vault: passphrase" and presents the certificate', async () => {
    const refused = await certgate(['serve', '--port', '0', '--admin-port', '0', '--json', '--data-dir', data], { env: NO_KEYCHAIN });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('passphrase-required');

    const ca = path.join(dir.path, 'echo-ca', 'ca.crt');
    expect((await certgate(['api', 'create', '--id', 'echo', '--name', 'Echo', '--path', 'echo', '--service-url', echo.url, '--ca', ca, '--data-dir', data], { env: good })).code).toBe(0);
    expect((await certgate(['api', 'security', 'echo', '--certificate', 'client1', '--data-dir', data], { env: good })).code).toBe(0);

    const serve = await startCertgate(['serve', '--port', '0', '--admin-port', '0', '--vault-passphrase-stdin', '--data-dir', data], /APIs:[^\n]*\n/, {
      env: NO_KEYCHAIN,
      stdin: `${PASSPHRASE}\n`,
    });
    try {
      expect(serve.output).toContain('Vault: passphrase (private keys open with the vault passphrase; no OS keychain)');
      const gatewayUrl = serve.output.match(/Gateway: (http:\/\/\S+)/)?.[1];
      const echoed = (await (await fetch(`${gatewayUrl}/echo/hi`)).json()) as EchoResponse;
      expect(echoed.clientCertificate?.thumbprint).toBe(thumbprintOf(c1.certPem));
      // The CLI goes through the running instance: no passphrase needed while it holds the vault open.
      expect((await certgate(['api', 'security', 'echo', '--certificate', 'client2', '--data-dir', data], { env: NO_KEYCHAIN })).code).toBe(0);
      const second = (await (await fetch(`${gatewayUrl}/echo/hi`)).json()) as EchoResponse;
      expect(second.clientCertificate?.thumbprint).toBe(thumbprintOf(c2.certPem));
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, 120_000);
});
