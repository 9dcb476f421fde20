import path from 'node:path';
import type { ExportResult } from '../../../preload/contract';
import { flag, parseCommand, str } from '../args';
import { commandContext, help, usage, withBackend } from '../context';
import { printError, printResult, type Io } from '../output';

/** Help for `certgate export`. */
export const EXPORT_HELP = `Usage: certgate export --format kong|nginx|apim --out DIR [--with-keys] [--json]

Write every API's configuration for a production gateway into DIR (created when missing):

  kong    kong.yaml: Kong declarative configuration (_format_version 3.0)
  nginx   certgate.conf (include it in http {}), certificate chains, CA bundles
  apim    main.bicep, azuredeploy.parameters.json and policies/ for Azure API Management

Without --with-keys no private key or password leaves CertGate: the files that need one are listed for
you to supply. With --with-keys they are written too, mode 0600. Existing files are never overwritten.
See docs/export.md.`;

const FORMATS = ['kong', 'nginx', 'apim'] as const;
type Format = (typeof FORMATS)[number];

function isFormat(value: string | undefined): value is Format {
  return (FORMATS as readonly (string | undefined)[]).includes(value);
}

/** Whether an exported file was written: secret files only with keys, others when CertGate had their content. */
function written(file: ExportResult['files'][number], withKeys: boolean): boolean {
  return file.containsPrivateKey ? withKeys : file.content !== null;
}

function forPeople(result: ExportResult, withKeys: boolean): string {
  const out = [`Exported the ${result.format} configuration to ${result.outDir ?? '(nowhere)'}:`];
  const done = result.files.filter((f) => written(f, withKeys));
  const width = Math.max(0, ...done.map((f) => f.path.length));
  for (const f of done) out.push(`  ${f.path.padEnd(width)}${f.containsPrivateKey ? '  PRIVATE KEY OR PASSWORD (mode 0600)' : ''}`.trimEnd());
  const missing = result.files.filter((f) => !written(f, withKeys));
  if (missing.length > 0) {
    out.push('', 'Not written: supply these yourself (see the warnings):');
    for (const f of missing) out.push(`  ${f.path}${f.containsPrivateKey ? '  (private key or password)' : ''}`);
  }
  if (result.warnings.length > 0) out.push('', 'Warnings:', ...result.warnings.map((w) => `  - ${w}`));
  const secrets = done.filter((f) => f.containsPrivateKey);
  out.push('');
  if (secrets.length > 0) {
    out.push(
      secrets.length === 1
        ? 'This file holds a private key or password. Keep it secret; never commit it or send it by mail:'
        : `These ${secrets.length} files hold private keys or passwords. Keep them secret; never commit them or send them by mail:`,
    );
    for (const f of secrets) out.push(`  ${path.join(result.outDir ?? '', f.path)}`);
  } else {
    out.push('No private key or password was written.');
  }
  return out.join('\n');
}

/** `certgate export --format … --out DIR [--with-keys]` */
export async function exportCommand(io: Io, args: readonly string[]): Promise<number> {
  const parsed = parseCommand(args, { format: { type: 'string' }, out: { type: 'string' }, 'with-keys': { type: 'boolean' } });
  if (!parsed.ok) return usage({ io, json: args.includes('--json') }, parsed.message, EXPORT_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, EXPORT_HELP);
  if (ctx.parsed.positionals.length > 0) return usage(ctx, `export takes no ${ctx.parsed.positionals[0]}: use --format and --out.`, EXPORT_HELP);
  const format = str(ctx.parsed, 'format');
  if (!isFormat(format)) {
    return usage(ctx, format === undefined ? 'export needs --format kong, nginx or apim.' : `Unknown format "${format}": use kong, nginx or apim.`, EXPORT_HELP);
  }
  const out = str(ctx.parsed, 'out');
  if (!out) return usage(ctx, 'export needs --out DIR: the folder to write into.', EXPORT_HELP);
  const withKeys = flag(ctx.parsed, 'with-keys');
  // Absolute here: a running instance that does the writing has its own working folder.
  const outDir = path.resolve(out);
  return withBackend(ctx, async (backend) => {
    const result = await backend.call('export.write', { format, outDir, withKeys });
    if (!result.ok) return printError(io, ctx.json, result.error);
    return printResult(io, ctx.json, result.value, () => forPeople(result.value, withKeys));
  });
}
