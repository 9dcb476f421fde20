import path from 'node:path';
import type { AppError, OperationInput, OperationName, OperationOutput, Result } from '../../preload/contract';
import { defaultDataDir } from '../core/app/paths';
import { str, flag, type Parsed } from './args';
import { openBackend, type Backend } from './backend';
import { EXIT_USAGE, printError, type Io } from './output';
import { textStyle, type TextStyle } from './text';
import { vaultPassphrase } from './vault-passphrase';

/** What a command runs with. */
export interface CommandContext {
  readonly io: Io;
  readonly parsed: Parsed;
  readonly json: boolean;
  readonly dataDir: string;
  /** Emphasis on a terminal, plain text elsewhere (and always with --json). */
  readonly style: TextStyle;
}

/** Build a command's context from its parsed arguments. */
export function commandContext(io: Io, parsed: Parsed): CommandContext {
  const dir = str(parsed, 'data-dir');
  const json = flag(parsed, 'json');
  const style = textStyle(json ? {} : io.stdout, json ? { NO_COLOR: '1' } : io.env);
  return { io, parsed, json, dataDir: dir ? path.resolve(dir) : defaultDataDir(io.env), style };
}

/** Run operations against the data folder (directly or through the running instance), then release it. */
export async function withBackend(ctx: CommandContext, run: (backend: Backend) => Promise<number>): Promise<number> {
  const passphrase = await vaultPassphrase(ctx);
  if (!passphrase.ok) return printError(ctx.io, ctx.json, passphrase.error);
  const backend = await openBackend(ctx.dataDir, { vaultPassphrase: passphrase.value });
  if (!backend.ok) return printError(ctx.io, ctx.json, backend.error);
  try {
    return await run(backend.value);
  } finally {
    await backend.value.close();
  }
}

/** Call one operation and print its result or its error. */
export async function callAndPrint<N extends OperationName>(
  ctx: CommandContext,
  backend: Backend,
  name: N,
  input: OperationInput<N>,
  human: (value: OperationOutput<N>) => string,
  jsonValue: (value: OperationOutput<N>) => unknown = (v) => v,
): Promise<number> {
  const result: Result<OperationOutput<N>> = await backend.call(name, input);
  if (!result.ok) return printError(ctx.io, ctx.json, result.error);
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(jsonValue(result.value), null, 2)}\n`);
  else ctx.io.stdout.write(`${human(result.value)}\n`);
  return 0;
}

/** A usage mistake: a message and the command's help. */
export function usage(ctx: Pick<CommandContext, 'io' | 'json'>, message: string, help: string): number {
  const error: AppError = { code: 'validation', message };
  if (ctx.json) printError(ctx.io, true, error);
  else ctx.io.stderr.write(`certgate: ${message}\n\n${help}\n`);
  return EXIT_USAGE;
}

/** Print a command's help on stdout. */
export function help(io: Io, text: string): number {
  io.stdout.write(`${text}\n`);
  return 0;
}
