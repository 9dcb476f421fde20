/**
 * Vitest global setup: the keychain tests talk to the real OS keychain (Secret Service on Linux). When no
 * Secret Service is reachable but gnome-keyring and dbus-daemon are installed, start a private D-Bus session
 * with an unlocked throwaway keyring (its own XDG_DATA_HOME in a temp folder) for the run, export its address
 * to the test workers, and tear both down afterwards: `npm test` needs no desktop session and no wrapper.
 * When that cannot be done, test/helpers/keychain-reporter.ts says so after the summary, with what to do;
 * with CERTGATE_REQUIRE_KEYCHAIN=1 (CI) it is a failure instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What the run's keychain is: the session's own, a private one started here, or none (and why). */
export type KeychainStatus =
  | { readonly kind: 'session' }
  | { readonly kind: 'private'; readonly startedMs: number }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'not-linux' };

/** The environment variable the status crosses to the reporter in (same process) as JSON. */
export const KEYCHAIN_STATUS_ENV = 'CERTGATE_TEST_KEYCHAIN';

const PROBE = `
  const k = require('keytar');
  const account = 'probe-' + process.pid;
  k.setPassword('CertGate-probe', account, 'x')
    .then(() => k.getPassword('CertGate-probe', account))
    .then((v) => k.deletePassword('CertGate-probe', account).then(() => process.exit(v === 'x' ? 0 : 1)))
    .catch((e) => { console.error(e.message); process.exit(1); });
`;

/** Whether keytar can store and read an item with this environment (10 s at most). */
function secretServiceReachable(env: NodeJS.ProcessEnv): { ok: boolean; reason: string } {
  const r = spawnSync(process.execPath, ['-e', PROBE], { cwd: ROOT, env, encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return { ok: true, reason: '' };
  return { ok: false, reason: (r.error?.message ?? r.stderr.trim()) || `the probe exited with ${r.status}` };
}

function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const file = path.join(dir, command);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Read a child's stdout until `pattern` matches (or it exits / the time is up). */
function firstMatch(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms: ${err.trim()}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${err.trim()}`));
    });
  });
}

function busConfig(dir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

interface PrivateSession {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** A dbus-daemon and an unlocked gnome-keyring-daemon of our own, in a fresh temp folder. */
async function startPrivateSession(): Promise<PrivateSession> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'certgate-keyring-'));
  const runtime = path.join(home, 'runtime');
  await mkdir(runtime);
  await chmod(runtime, 0o700);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  try {
    // A bus without service activation: a probe made before our keyring owns its name must not start a
    // second, locked gnome-keyring through the system's service files.
    const config = path.join(home, 'bus.conf');
    await writeFile(config, busConfig(runtime));
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--nosyslog', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const address = (await firstMatch(bus, /^(unix:\S+)\n/m, 5_000))[1] as string;
    const env = { DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: runtime };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    children.push(keyring);
    keyring.stdin?.end('certgate-test-keyring');
    // The keyring answers once it has claimed its name on the bus: probe until it does.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = secretServiceReachable({ ...process.env, ...env });
      if (probe.ok) break;
      if (keyring.exitCode !== null || Date.now() > deadline) throw new Error(`gnome-keyring-daemon did not answer: ${probe.reason}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const STATE = Symbol.for('certgate.keychain-setup');
interface State {
  started: Promise<{ status: KeychainStatus; session: PrivateSession | null }>;
  users: number;
}

async function decide(): Promise<{ status: KeychainStatus; session: PrivateSession | null }> {
  if (process.platform !== 'linux') return { status: { kind: 'not-linux' }, session: null };
  if (process.env.DBUS_SESSION_BUS_ADDRESS && secretServiceReachable(process.env).ok) return { status: { kind: 'session' }, session: null };
  const missing = ['dbus-daemon', 'gnome-keyring-daemon'].filter((c) => which(c) === null);
  if (missing.length > 0) return { status: { kind: 'none', reason: `${missing.join(' and ')} not installed` }, session: null };
  const t0 = performance.now();
  try {
    const session = await startPrivateSession();
    Object.assign(process.env, session.env);
    return { status: { kind: 'private', startedMs: Math.round(performance.now() - t0) }, session };
  } catch (err) {
    return { status: { kind: 'none', reason: `a private keyring could not start (${err instanceof Error ? err.message : String(err)})` }, session: null };
  }
}

/** Once per run (each test project calls it); the last teardown stops the private session. */
export async function setup(): Promise<() => Promise<void>> {
  const memo = globalThis as { [STATE]?: State };
  const state = (memo[STATE] ??= { started: decide(), users: 0 });
  state.users += 1;
  const { status } = await state.started;
  process.env[KEYCHAIN_STATUS_ENV] = JSON.stringify(status);
  if (status.kind === 'none' && process.env.CERTGATE_REQUIRE_KEYCHAIN === '1') {
    throw new Error(`CERTGATE_REQUIRE_KEYCHAIN=1, but no keychain for the tests: ${status.reason}.`);
  }
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    const { session } = await state.started;
    await session?.stop();
  };
}
