/**
 * The one way into the core from a transport (IPC, the admin API's `/_rpc` and REST routes, the CLI): parse the
 * untrusted payload with the operation's schema, then run it. Lives in main: only main loads the zod schemas.
 */
import { fail, ok, type Result } from '../../../preload/contract/result';
import type { CallOptions, OperationName, OperationOutput, Operations, ParsedInput } from '../../../preload/contract/operations';
import { inputSchemas } from '../../../preload/contract/schemas';

/** Parse an untrusted payload for an operation: a `validation` failure names the first bad field. */
export function parseInput<N extends OperationName>(name: N, payload: unknown): Result<ParsedInput<N>> {
  if (!Object.prototype.hasOwnProperty.call(inputSchemas, name)) {
    return fail('validation', `There is no operation named "${String(name)}".`);
  }
  const parsed = inputSchemas[name].safeParse(payload ?? {});
  if (parsed.success) return ok(parsed.data as ParsedInput<N>);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return fail('validation', `${where}${issue?.message ?? 'The input is not valid.'}`, {
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/**
 * Run an operation from an untrusted payload: parse, then call; a throw becomes `internal`. `options.signal`
 * is the transport's "the caller went away" (a closed connection, a window's cancel): the operation stops
 * what it can (a certificate parse) and answers `cancelled`.
 */
export async function dispatch<N extends OperationName>(
  operations: Operations,
  name: N,
  payload: unknown,
  options: CallOptions = {},
): Promise<Result<OperationOutput<N>>> {
  const input = parseInput(name, payload);
  if (!input.ok) return input;
  if (options.signal?.aborted) return cancelled(name);
  try {
    const run = operations[name] as (i: ParsedInput<N>, o: CallOptions) => Promise<Result<OperationOutput<N>>>;
    return await run(input.value, options);
  } catch (err) {
    return fail('internal', `CertGate hit an unexpected problem running ${name}. Please report it.`, {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}

function cancelled(name: string): Result<never> {
  return fail('cancelled', `${name} was cancelled before it started. Nothing was changed.`);
}
