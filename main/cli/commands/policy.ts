import { readFile } from 'node:fs/promises';
import type { PolicyProblem } from '../../../preload/contract';
import { flag, parseCommand } from '../args';
import { callAndPrint, commandContext, help, usage, withBackend } from '../context';
import { printError, printResult, type Io } from '../output';

/** Help for `certgate policy`. */
export const POLICY_HELP = `Usage: certgate policy <command> [options]

  get API_ID [--json]        print the API's policy XML
  set API_ID FILE [--json]   replace the API's policy (validated: refusals name the line and column)`;

/** `certgate policy …` */
export async function policyCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, {});
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, POLICY_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, POLICY_HELP);
  const [apiId, file, ...extra] = ctx.parsed.positionals;
  if (!apiId) return usage(ctx, `policy ${sub ?? ''} needs an API_ID.`.replace('  ', ' '), POLICY_HELP);
  switch (sub) {
    case 'get':
      if (file || extra.length > 0) return usage(ctx, 'policy get takes one API_ID.', POLICY_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'policies.get', { apiId }, (p) => p.xml.replace(/\n$/, '')));
    case 'set': {
      if (!file || extra.length > 0) return usage(ctx, 'policy set needs an API_ID and a FILE.', POLICY_HELP);
      let xml: string;
      try {
        xml = await readFile(file, 'utf8');
      } catch {
        return printError(io, ctx.json, { code: 'not-found', message: `Cannot read ${file}.` });
      }
      return withBackend(ctx, async (b) => {
        const result = await b.call('policies.set', { apiId, xml });
        if (result.ok) return printResult(io, ctx.json, result.value, () => `Saved the policy of "${apiId}". The gateway uses it from the next call.`);
        const where = result.error.details as PolicyProblem | undefined;
        const message = where?.line ? `${file}:${where.line}:${where.column}: ${result.error.message}` : result.error.message;
        return printError(io, ctx.json, { ...result.error, message });
      });
    }
    default:
      return usage(ctx, sub ? `Unknown policy command "${sub}".` : 'Which policy command?', POLICY_HELP);
  }
}
