import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** What a finished `certgate` process printed. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `certgate …` as a subprocess (bin/certgate.mjs, as npx would: the built CLI in out/cli, rebuilt before
 * the run when stale by test/helpers/cli-build-setup.ts), with optional standard input.
 */
export function certgate(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/certgate.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Start a long-running `certgate …` (serve, echo-backend), optionally with standard input, and wait until its output matches. */
export function startCertgate(
  args: readonly string[],
  ready: RegExp,
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<{ readonly output: string; readonly match: RegExpMatchArray; stop(): Promise<number | null>; readonly pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/certgate.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(options.stdin ?? '');
    let output = '';
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const onData = (d: Buffer): void => {
      output += d.toString();
      const match = output.match(ready);
      if (match) {
        child.stdout.off('data', onData);
        resolve({
          output,
          match,
          pid: child.pid ?? -1,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`certgate ${args.join(' ')} exited (${code}) before it was ready:\n${output}`)));
  });
}
