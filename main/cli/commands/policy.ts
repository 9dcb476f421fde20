import { readFile } from 'node:fs/promises';
import type { Policy, PolicyProblem } from '../../../preload/contract';
import { flag, parseCommand, str } from '../args';
import { callAndPrint, commandContext, help, usage, withBackend } from '../context';
import { printError, printResult, type Io } from '../output';

/** Help for `certgate policy`. */
export const POLICY_HELP = `Usage: certgate policy <command> [options]

  get API_ID [--operation OP_ID] [--effective] [--json]
                             print the API's (or the operation's) policy XML; --effective: the composed
                             policy (All APIs, the API, the operation through <base />), read-only
  get --global               print the global policy ("All APIs")
  set API_ID FILE [--operation OP_ID] [--json]
                             replace the policy (validated: refusals name the line and column)
  set --global FILE          replace the global policy`;

/** The stored XML for stdout (to fix and set again); a text that does not parse is named on stderr. */
function storedXml(io: Io): (policy: Policy) => string {
  return ({ xml, problem }) => {
    if (problem) {
      io.stderr.write(`certgate: this stored policy is not valid, so its API is not served (policy-invalid): line ${problem.line}, column ${problem.column}: ${problem.message}\n`);
    }
    return xml.replace(/\n$/, '');
  };
}

/** `certgate policy …` */
export async function policyCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, { operation: { type: 'string' }, global: { type: 'boolean' }, effective: { type: 'boolean' } });
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, POLICY_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, POLICY_HELP);
  const global = flag(ctx.parsed, 'global');
  const operationId = str(ctx.parsed, 'operation');
  const positionals = global ? ['', ...ctx.parsed.positionals] : ctx.parsed.positionals;
  const [apiId, file, ...extra] = positionals;
  if (global && operationId !== undefined) return usage(ctx, '--global and --operation do not go together.', POLICY_HELP);
  if (apiId === undefined || (!global && apiId === '')) return usage(ctx, `policy ${sub ?? ''} needs an API_ID.`.replace('  ', ' '), POLICY_HELP);
  switch (sub) {
    case 'get':
      if (file || extra.length > 0) return usage(ctx, 'policy get takes one API_ID.', POLICY_HELP);
      if (global) return withBackend(ctx, (b) => callAndPrint(ctx, b, 'globalPolicy.get', {}, storedXml(io)));
      if (flag(ctx.parsed, 'effective')) {
        const input = operationId === undefined ? { apiId } : { apiId, operationId };
        return withBackend(ctx, (b) => callAndPrint(ctx, b, 'policies.effective', input, (p) => p.xml.replace(/\n$/, '')));
      }
      return withBackend(ctx, (b) =>
        callAndPrint(ctx, b, 'policies.get', operationId === undefined ? { apiId } : { apiId, operationId }, storedXml(io)),
      );
    case 'set': {
      if (!file || extra.length > 0) return usage(ctx, 'policy set needs an API_ID and a FILE.', POLICY_HELP);
      let xml: string;
      try {
        xml = await readFile(file, 'utf8');
      } catch {
        return printError(io, ctx.json, { code: 'not-found', message: `Cannot read ${file}.` });
      }
      return withBackend(ctx, async (b) => {
        const result = global
          ? await b.call('globalPolicy.set', { xml })
          : await b.call('policies.set', operationId === undefined ? { apiId, xml } : { apiId, operationId, xml });
        const what = global ? 'the global policy' : operationId === undefined ? `the policy of "${apiId}"` : `the policy of the operation "${operationId}" of "${apiId}"`;
        if (result.ok) return printResult(io, ctx.json, result.value, () => `Saved ${what}. The gateway uses it from the next call.`);
        const where = result.error.details as PolicyProblem | undefined;
        const message = where?.line ? `${file}:${where.line}:${where.column}: ${result.error.message}` : result.error.message;
        return printError(io, ctx.json, { ...result.error, message });
      });
    }
    default:
      return usage(ctx, sub ? `Unknown policy command "${sub}".` : 'Which policy command?', POLICY_HELP);
  }
}
