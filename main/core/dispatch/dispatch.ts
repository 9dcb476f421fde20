/**
 * The one way into the core from a transport (IPC, the admin API's `/_rpc` and REST routes, the CLI): parse the
 * untrusted payload with the operation's schema, then run it. Lives in main: only main loads the zod schemas.
 */
import { fail, ok, type Result } from '../../../preload/contract/result';
import type { CallOptions, OperationName, OperationOutput, Operations, ParsedInput } from '../../../preload/contract/operations';
import type { z } from 'zod';
import { inputSchemas } from '../../../preload/contract/schemas';

// schemas.ts and operations.ts name the same operations: a schema missing for an operation, or one for an
// operation the contract does not declare, fails to compile here (test/main/core/dispatch checks it at run time).
void (inputSchemas satisfies Record<OperationName, z.ZodType>);
const _noSchemaWithoutOperation: Record<Exclude<keyof typeof inputSchemas, OperationName>, never> = {};

/** At most this many issues are listed in a `validation` failure's details... */
const MAX_ISSUES = 10;
/** ...and at most this many unknown field names in one issue... */
const MAX_KEYS_NAMED = 5;
/** ...each path segment and field name cut to this length: the answer stays small whatever the payload. */
const MAX_NAME_LENGTH = 64;

/**
 * Parse an untrusted payload for an operation: a `validation` failure names the first bad field. The answer is
 * bounded, never an echo of the payload: a body with a million unknown keys gets a failure of a few hundred bytes.
 */
export function parseInput<N extends OperationName>(name: N, payload: unknown): Result<ParsedInput<N>> {
  if (!Object.prototype.hasOwnProperty.call(inputSchemas, name)) {
    return fail('validation', `There is no operation named "${clip(String(name))}".`);
  }
  const parsed = inputSchemas[name].safeParse(payload ?? {});
  if (parsed.success) return ok(parsed.data as ParsedInput<N>);
  const all = parsed.error.issues.map(describeIssue);
  const first = all[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return fail('validation', `${where}${first?.message ?? 'The input is not valid.'}`, {
    issues: all.slice(0, MAX_ISSUES),
    ...(all.length > MAX_ISSUES ? { moreIssues: all.length - MAX_ISSUES } : {}),
  });
}

function clip(text: string): string {
  return text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH)}…` : text;
}

/** One issue as the caller sees it: a short path, and a message that names a few unknown keys at most. */
function describeIssue(issue: z.core.$ZodIssue): { readonly path: readonly string[]; readonly message: string } {
  const path = issue.path.slice(0, 10).map((segment) => clip(String(segment)));
  if (issue.code !== 'unrecognized_keys') return { path, message: issue.message.length > 300 ? `${issue.message.slice(0, 300)}…` : issue.message };
  const named = issue.keys.slice(0, MAX_KEYS_NAMED).map((key) => `"${clip(key)}"`).join(', ');
  const more = issue.keys.length - MAX_KEYS_NAMED;
  const message = `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${named}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}.`;
  return { path, message };
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
