/**
 * A stop signal sent the moment a long-running command prints its ready line (as a supervisor, a test or
 * `kill %1` right after the banner does) stops it cleanly with exit code 0. The signal here is emitted from
 * inside the very write of the ready line, so a command that starts listening only after printing never
 * hears it and never returns (under load, 2 real `certgate serve` runs in 40 were killed by SIGTERM so).
 */
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { echoBackendCommand } from '../../../main/cli/commands/echo-backend';
import { serveCommand } from '../../../main/cli/commands/serve';
import type { Io } from '../../../main/cli/output';
import { useTempDir } from '../../helpers/temp-dir';

/** An Io whose stdout emits SIGTERM on `signals` while writing the line that matches `ready`. */
function signallingIo(signals: EventEmitter, ready: RegExp, env: NodeJS.ProcessEnv = {}): { io: Io; output: () => string } {
  let text = '';
  let sent = false;
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      if (!sent && ready.test(text)) {
        sent = true;
        signals.emit('SIGTERM');
      }
      done();
    },
  });
  const stdin = new PassThrough();
  stdin.end();
  return { io: { stdout, stderr: new PassThrough(), stdin, env }, output: () => text };
}

/** The command's exit code, or 'still running' when it did not stop within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still running'> {
  return Promise.race([promise, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref())]);
}

describe('a stop signal right at the ready line', () => {
  const dir = useTempDir();

  it('certgate echo-backend stops cleanly', async () => {
    const signals = new EventEmitter();
    const { io, output } = signallingIo(signals, /Echo back end: /);
    expect(await within(echoBackendCommand(io, ['--port', '0', '--any-client-cert'], signals), 10_000)).toBe(0);
    expect(output()).toContain('Echo back end: https://');
  });

  it('certgate serve stops cleanly (a passphrase vault: no keychain needed)', async () => {
    const file = path.join(dir.path, 'vault-passphrase');
    writeFileSync(file, 'a long test passphrase\n', { mode: 0o600 });
    const signals = new EventEmitter();
    const { io, output } = signallingIo(signals, /APIs: [^\n]*\n/, { CERTGATE_VAULT_PASSPHRASE_FILE: file });
    const args = ['serve', '--port', '0', '--admin-port', '0', '--data-dir', path.join(dir.path, 'data')].slice(1);
    expect(await within(serveCommand(io, args, signals), 20_000)).toBe(0);
    expect(output()).toContain('Stopping: letting calls in flight finish');
  }, 30_000);
});
