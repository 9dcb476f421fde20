import type { ApiOperation, OperationInput } from '../../../preload/contract';
import { flag, parseCommand, str } from '../args';
import { callAndPrint, commandContext, help, usage, withBackend } from '../context';
import { table, type Io } from '../output';

/** Help for `certgate operation`. */
export const OPERATION_HELP = `Usage: certgate operation <command> API_ID [options]

  list API_ID
  show API_ID OP_ID
  create API_ID --name NAME --method METHOD|* --template /orders/{orderId} [--id OP_ID] [--description TEXT]
  update API_ID OP_ID [--name NAME] [--method METHOD|*] [--template T] [--description TEXT]
  delete API_ID OP_ID

An API without operations forwards every path; with operations, a call no operation matches gets 404
no-operation. Each operation has its own policy: certgate policy get|set API_ID --operation OP_ID.
All take --json and --data-dir DIR.`;

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  method: { type: 'string' },
  template: { type: 'string' },
  description: { type: 'string' },
} as const;

/** `certgate operation …` */
export async function operationCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, OPTIONS);
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, OPERATION_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, OPERATION_HELP);
  const [apiId, id, ...extra] = ctx.parsed.positionals;
  if (!apiId) return usage(ctx, `operation ${sub ?? ''} needs an API_ID.`.replace('  ', ' '), OPERATION_HELP);
  if (extra.length > 0) return usage(ctx, `Unexpected argument "${extra[0]}".`, OPERATION_HELP);
  const optional = (key: 'name' | 'method' | 'template' | 'description', field: string) =>
    str(ctx.parsed, key) !== undefined ? { [field]: str(ctx.parsed, key) } : {};
  switch (sub) {
    case 'list':
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'operations.list', { apiId }, listForPeople));
    case 'show':
      if (!id) return usage(ctx, 'operation show needs an API_ID and an OP_ID.', OPERATION_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'operations.get', { apiId, id }, operationForPeople));
    case 'create': {
      const name = str(ctx.parsed, 'name');
      const method = str(ctx.parsed, 'method');
      const template = str(ctx.parsed, 'template');
      if (name === undefined || method === undefined || template === undefined) {
        return usage(ctx, 'operation create needs --name, --method and --template.', OPERATION_HELP);
      }
      const input: OperationInput<'operations.create'> = {
        apiId,
        displayName: name,
        method,
        urlTemplate: template,
        ...(str(ctx.parsed, 'id') !== undefined ? { id: str(ctx.parsed, 'id') } : {}),
        ...optional('description', 'description'),
      };
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'operations.create', input, (op) => `Created the operation "${op.id}" of "${apiId}".\n\n${operationForPeople(op)}`));
    }
    case 'update': {
      if (!id) return usage(ctx, 'operation update needs an API_ID and an OP_ID.', OPERATION_HELP);
      const input = { apiId, id, ...optional('name', 'displayName'), ...optional('method', 'method'), ...optional('template', 'urlTemplate'), ...optional('description', 'description') };
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'operations.update', input, (op) => `Updated the operation "${op.id}".\n\n${operationForPeople(op)}`));
    }
    case 'delete':
      if (!id) return usage(ctx, 'operation delete needs an API_ID and an OP_ID.', OPERATION_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'operations.delete', { apiId, id }, () => `Deleted the operation "${id}" of "${apiId}".`));
    default:
      return usage(ctx, sub ? `Unknown operation command "${sub}".` : 'Which operation command?', OPERATION_HELP);
  }
}

function listForPeople(ops: readonly ApiOperation[]): string {
  if (ops.length === 0) return 'No operations: the API forwards every path.';
  return table(['ID', 'METHOD', 'URL TEMPLATE', 'NAME'], ops.map((o) => [o.id, o.method, o.urlTemplate, o.displayName]));
}

function operationForPeople(op: ApiOperation): string {
  return [`ID:           ${op.id}`, `API:          ${op.apiId}`, `Name:         ${op.displayName}`, `Method:       ${op.method}`, `URL template: ${op.urlTemplate}`, `Description:  ${op.description}`].join('\n');
}
