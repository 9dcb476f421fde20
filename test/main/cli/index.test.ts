import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, MAIN_HELP } from '../../../main/cli/index';
import { CERT_HELP } from '../../../main/cli/commands/cert';
import { SERVE_HELP } from '../../../main/cli/commands/serve';
import type { Io } from '../../../main/cli/output';

/** An in-process Io that collects what a command prints. */
function io(): Io & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env: {}, out: () => out, err: () => err };
}

describe('the command table', () => {
  it('prints the main help with --help (exit 0) and without a command (exit 2)', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    expect(a.out()).toBe(`${MAIN_HELP}\n`);
    const b = io();
    expect(await main([], b)).toBe(2);
    expect(b.out()).toBe(`${MAIN_HELP}\n`);
  });

  it("loads a group for its help: each group's own text", async () => {
    for (const [args, text] of [[['cert', '--help'], CERT_HELP], [['cert', 'help'], CERT_HELP], [['serve', '-h'], SERVE_HELP]] as const) {
      const x = io();
      expect(await main(args, x)).toBe(0);
      expect(x.out()).toBe(`${text}\n`);
    }
  });

  it('an unknown command, even one named like an object property, is a usage error', async () => {
    for (const name of ['bogus', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const x = io();
      expect(await main([name], x)).toBe(2);
      expect(x.err()).toContain(`unknown command "${name}"`);
    }
  });
});
