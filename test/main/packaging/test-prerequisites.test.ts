/**
 * What `npm test` needs, and what it says when something is missing. On Linux without a desktop session the
 * global setup gives the keychain tests a private D-Bus session and unlocked gnome-keyring, and tears it down;
 * when it cannot, the run says so loudly (and fails with CERTGATE_REQUIRE_KEYCHAIN=1, as in CI). Each setup
 * case runs in a child process of its own. Without Chromium the e2e tests say what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumPath } from '../../helpers/chromium';
import { keychainWarning } from '../../helpers/keychain-reporter';
import { useTempDir } from '../../helpers/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CAN_START = process.platform === 'linux' && existsSync('/usr/bin/dbus-daemon') && existsSync('/usr/bin/gnome-keyring-daemon');

const dir = useTempDir();

/** Run the global setup (and its teardown) in a child; it prints the status, the env it exported and a keytar round trip. */
function runSetup(env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const script = `
    import { setup } from './test/helpers/keychain-setup.ts';
    const teardown = await setup();
    const status = JSON.parse(process.env.CERTGATE_TEST_KEYCHAIN);
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS ?? null;
    let roundTrip = null;
    if (status.kind === 'private') {
      const keytar = (await import('keytar')).default;
      await keytar.setPassword('CertGate-test', 'setup', 'v');
      roundTrip = await keytar.getPassword('CertGate-test', 'setup');
    }
    await teardown();
    const socket = bus?.match(/path=([^,]+)/)?.[1] ?? null;
    console.log(JSON.stringify({ status, bus, roundTrip, socketLeft: socket ? (await import('node:fs')).existsSync(socket) : null }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withoutBus(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.CERTGATE_TEST_KEYCHAIN;
  delete env.CERTGATE_REQUIRE_KEYCHAIN;
  return { ...env, ...extra };
}

describe('the test run keychain (vitest global setup)', () => {
  it.runIf(CAN_START)('with no D-Bus session, starts a private unlocked keyring, exports it, and stops it after', () => {
    const r = runSetup(withoutBus());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    expect(out.status.kind).toBe('private');
    expect(out.bus).toMatch(/^unix:/);
    expect(out.roundTrip).toBe('v');
    // Torn down: the private bus's socket is gone with its daemon.
    expect(out.socketLeft).toBe(false);
  });

  it.runIf(process.platform === 'linux')('without the daemons it says why; with CERTGATE_REQUIRE_KEYCHAIN=1 that fails the run', () => {
    // A PATH with neither dbus-daemon nor gnome-keyring-daemon on it.
    const loose = runSetup(withoutBus({ PATH: dir.path }));
    expect(loose.code, loose.stderr).toBe(0);
    const out = JSON.parse(loose.stdout.trim().split('\n').pop() ?? '{}');
    expect(out.status).toEqual({ kind: 'none', reason: 'dbus-daemon and gnome-keyring-daemon not installed' });

    const strict = runSetup(withoutBus({ PATH: dir.path, CERTGATE_REQUIRE_KEYCHAIN: '1' }));
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('CERTGATE_REQUIRE_KEYCHAIN=1, but no keychain for the tests: dbus-daemon and gnome-keyring-daemon not installed');
  });

  it('the summary warns loudly, with the count and how to run them, only when they did not run', () => {
    const warning = keychainWarning({ kind: 'none', reason: 'gnome-keyring-daemon not installed' }, 11);
    expect(warning).toContain('KEYCHAIN TESTS DID NOT RUN: 11 skipped');
    expect(warning).toContain('gnome-keyring-daemon not installed');
    expect(warning).toContain('apt-get install gnome-keyring dbus-daemon');
    expect(warning).toContain('dbus-run-session');
    expect(keychainWarning({ kind: 'private', startedMs: 300 }, 0)).toBeNull();
    expect(keychainWarning({ kind: 'session' }, 0)).toBeNull();
    expect(keychainWarning(null, 0)).toBeNull();
  });
});

describe('the e2e tests without Chromium', () => {
  it('say what they need, how to get it, and how to run the rest', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      'The e2e tests (test/e2e) drive a real Chromium, and there is none at /nonexistent/chromium.\nInstall it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.\nTo run every other test without it: npx vitest run --project node --project renderer',
    );
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });
});
