/**
 * Vitest reporter: after the summary, say loudly when the keychain tests could not run (no Secret Service and
 * no way to start a private one: see keychain-setup.ts), how many were skipped, and how to run them. Silent
 * when they ran.
 */
import { readFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { KEYCHAIN_STATUS_ENV, type KeychainStatus } from './keychain-setup';

/** Test files that need the keychain say so by testing for a D-Bus session. */
function needsKeychain(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes('DBUS_SESSION_BUS_ADDRESS');
  } catch {
    return false;
  }
}

/** The warning printed after the summary, or null when there is nothing to say. */
export function keychainWarning(status: KeychainStatus | null, skipped: number): string | null {
  if (status?.kind !== 'none') return null;
  const line = '!'.repeat(100);
  return [
    line,
    `!! KEYCHAIN TESTS DID NOT RUN: ${skipped} skipped. No Secret Service was reachable and ${status.reason}.`,
    '!! They need the real OS keychain. On Debian/Ubuntu: sudo apt-get install gnome-keyring dbus-daemon',
    '!! (then npm test starts a private keyring for the run by itself), or run them inside a session:',
    "!!   XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- bash -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npm test'",
    '!! CI sets CERTGATE_REQUIRE_KEYCHAIN=1, which makes a missing keychain a failure.',
    line,
  ].join('\n');
}

/** Prints `keychainWarning` at the end of the run. */
export default class KeychainReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const raw = process.env[KEYCHAIN_STATUS_ENV];
    const status = raw ? (JSON.parse(raw) as KeychainStatus) : null;
    if (status?.kind !== 'none') return;
    let skipped = 0;
    for (const module of testModules) {
      if (!needsKeychain(module.moduleId)) continue;
      for (const test of module.children.allTests()) if (test.result().state === 'skipped') skipped += 1;
    }
    const warning = keychainWarning(status, skipped);
    if (warning) process.stdout.write(`\n${warning}\n`);
  }
}
