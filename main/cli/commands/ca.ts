import { readFile } from 'node:fs/promises';
import type { CaCertificate } from '../../../preload/contract';
import { flag, parseCommand, str } from '../args';
import { callAndPrint, commandContext, help, usage, withBackend } from '../context';
import { expiryInWords, printError, table, thumbprintForPeople, type Io } from '../output';
import { printable, type TextStyle } from '../text';

/** Help for `certgate ca`. */
export const CA_HELP = `Usage: certgate ca <command> [options]

  import FILE [--id ID] [--json]   upload a CA certificate (PEM or DER) to trust for back ends
  list [--json]
  delete ID [--json]               refused while an API trusts it`;

/** `certgate ca …` */
export async function caCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, { id: { type: 'string' } });
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, CA_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, CA_HELP);
  const [target] = ctx.parsed.positionals;
  switch (sub) {
    case 'list':
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'caCertificates.list', {}, (cas) => listForPeople(cas, ctx.style)));
    case 'delete':
      if (!target) return usage(ctx, 'ca delete needs an ID.', CA_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'caCertificates.delete', { id: target }, ({ id }) => `Deleted the CA certificate "${id}".`));
    case 'import': {
      if (!target) return usage(ctx, 'ca import needs a FILE.', CA_HELP);
      let data: Buffer;
      try {
        data = await readFile(target);
      } catch {
        return printError(io, ctx.json, { code: 'not-found', message: `Cannot read ${target}.` });
      }
      const text = data.toString('utf8');
      const pem = text.includes('-----BEGIN') ? text : derToPem(data);
      const id = str(ctx.parsed, 'id');
      return withBackend(ctx, (b) =>
        callAndPrint(ctx, b, 'caCertificates.upload', { pem, ...(id !== undefined ? { id } : {}) }, (c) => `Uploaded the CA certificate "${c.id}" (${printable(c.subject)}).`),
      );
    }
    default:
      return usage(ctx, sub ? `Unknown ca command "${sub}".` : 'Which ca command?', CA_HELP);
  }
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function listForPeople(cas: readonly CaCertificate[], style: TextStyle): string {
  if (cas.length === 0) return 'No CA certificates.';
  return table(
    ['ID', 'SUBJECT', 'THUMBPRINT', 'EXPIRES', 'TRUSTED BY'],
    cas.map((c) => [printable(c.id), printable(c.subject), thumbprintForPeople(c.thumbprint, style), expiryInWords(c.notAfter), printable(c.usedBy.map((u) => u.apiName).join(', ')) || '-']),
  );
}
