import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppError, Certificate, CertificateInfo, CertificateWithUsage } from '../../../preload/contract';
import { flag, parseCommand, str } from '../args';
import { callAndPrint, commandContext, help, usage, withBackend, type CommandContext } from '../context';
import { EXIT_OK, expiryInWords, fitTable, printError, printResult, thumbprintForPeople, type Io } from '../output';
import { printable, type TextStyle } from '../text';
import { promptHidden, readPasswordFromStdin } from '../password';
import { exportCertCommand, LINK_HELP_LINES, linkCommand, syncCommand, unlinkCommand } from './cert-link';
import { expiringCommand, parseDays, rollbackCommand, rotateCommand, rotationsCommand } from './cert-rotate';

/** Help for `certgate cert`. */
export const CERT_HELP = `Usage: certgate cert <command> [options]

  inspect FILE [--password-stdin] [--json]                    show what a PFX/P12/PEM holds; stores nothing
  import FILE [--id ID] [--replace] [--password-stdin] [--json] upload a client certificate
  list [--wide] [--json]                                      list client certificates (fits 100 columns;
                                                              --wide: whole subjects, dates, every column)
  list --expiring DAYS [--json]                               those expiring within DAYS days or expired (exit 3 if any)
  show ID [--json]                                            one certificate's details
  delete ID [--json]                                          delete (refused while an API uses it)
  rotate OLD_ID NEW_FILE [--new-id ID] [--password-stdin] [--yes] [--json]
                 upload NEW_FILE as a new certificate (default id OLD_ID-2), check every API using OLD_ID
                 with it (preflight), then switch them all in one change. A terminal asks first; a script
                 switches only when every preflight passed; --yes switches all APIs whatever the preflight says
  rollback ROTATION_ID [--json]                               switch a rotation's APIs back to the old certificate
  rotations [--json]                                          list rotations
${LINK_HELP_LINES}

The password never comes from the command line: --password-stdin reads it from standard input;
otherwise a terminal prompts for it when the file needs one.
Global: --data-dir DIR (default: $CERTGATE_DATA_DIR, else the desktop app's folder); a passphrase vault's
passphrase from $CERTGATE_VAULT_PASSPHRASE_FILE (or --vault-passphrase-stdin, without --password-stdin)`;

/** `certgate cert …` */
export async function certCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, {
    'password-stdin': { type: 'boolean' },
    id: { type: 'string' },
    replace: { type: 'boolean' },
    'new-id': { type: 'string' },
    yes: { type: 'boolean' },
    expiring: { type: 'string' },
    wide: { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string' },
    public: { type: 'boolean' },
  });
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, CERT_HELP);
  const ctx = commandContext(io, parsed.parsed);
  const [target, second, ...extra] = ctx.parsed.positionals;
  if (flag(ctx.parsed, 'help')) return help(io, CERT_HELP);
  if (!sub) return usage(ctx, 'Which cert command?', CERT_HELP);
  const unexpected = sub === 'rotate' ? extra[0] : second;
  if (unexpected !== undefined) return usage(ctx, `Unexpected argument "${unexpected}".`, CERT_HELP);
  switch (sub) {
    case 'inspect':
    case 'import': {
      if (!target) return usage(ctx, `cert ${sub} needs a FILE.`, CERT_HELP);
      const file = await readInput(ctx, target);
      if (!file.ok) return printError(io, ctx.json, file.error);
      return sub === 'inspect' ? inspect(ctx, file.value) : importCert(ctx, file.value);
    }
    case 'list': {
      const expiring = str(ctx.parsed, 'expiring');
      if (expiring === undefined) return listCommand(ctx);
      const days = parseDays(expiring);
      return typeof days === 'number' ? expiringCommand(ctx, days) : usage(ctx, days.message, CERT_HELP);
    }
    case 'rotate': {
      if (!target || !second) return usage(ctx, 'cert rotate needs OLD_ID and NEW_FILE.', CERT_HELP);
      const file = await readInput(ctx, second);
      if (!file.ok) return printError(io, ctx.json, file.error);
      return rotateCommand(ctx, target, file.value);
    }
    case 'link':
      if (!target) return usage(ctx, 'cert link needs a FILE.', CERT_HELP);
      return linkCommand(ctx, target);
    case 'unlink':
    case 'sync':
      if (!target) return usage(ctx, `cert ${sub} needs an ID.`, CERT_HELP);
      return sub === 'unlink' ? unlinkCommand(ctx, target) : syncCommand(ctx, target);
    case 'export':
      if (!target) return usage(ctx, 'cert export needs an ID.', CERT_HELP);
      return exportCertCommand(ctx, target);
    case 'rollback':
      if (!target) return usage(ctx, 'cert rollback needs a ROTATION_ID (see certgate cert rotations).', CERT_HELP);
      return rollbackCommand(ctx, target);
    case 'rotations':
      if (target) return usage(ctx, `Unexpected argument "${target}".`, CERT_HELP);
      return rotationsCommand(ctx);
    case 'show':
      if (!target) return usage(ctx, 'cert show needs an ID.', CERT_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'certificates.get', { id: target }, (c) => detailsForPeople(c, ctx.style)));
    case 'delete':
      if (!target) return usage(ctx, 'cert delete needs an ID.', CERT_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'certificates.delete', { id: target }, ({ id }) => `Deleted the client certificate "${id}".`));
    default:
      return usage(ctx, `Unknown cert command "${sub}".`, CERT_HELP);
  }
}

interface InputFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly password: string | undefined;
}

async function readInput(ctx: CommandContext, file: string): Promise<{ ok: true; value: InputFile } | { ok: false; error: AppError }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { ok: false, error: { code: 'not-found', message: `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.` } };
  }
  const name = path.basename(file);
  if (flag(ctx.parsed, 'password-stdin')) return { ok: true, value: { name, bytes, password: await readPasswordFromStdin(ctx.io) } };
  // No password given: try without one; a terminal is asked only if the file turns out to need one.
  if (ctx.io.stdin.isTTY) {
    const { parseCertificateFile } = await import('../../core/certificates/parse');
    const probe = await parseCertificateFile(bytes, undefined, { fileName: name });
    if (!probe.ok && probe.error.code === 'bad-password') {
      const password = await promptHidden(ctx.io, `Password for ${name}: `);
      return { ok: true, value: { name, bytes, password } };
    }
  }
  return { ok: true, value: { name, bytes, password: undefined } };
}

async function inspect(ctx: CommandContext, file: InputFile): Promise<number> {
  const { parseCertificateFile } = await import('../../core/certificates/parse');
  const parsed = await parseCertificateFile(file.bytes, file.password, { fileName: file.name });
  if (!parsed.ok) return printError(ctx.io, ctx.json, parsed.error);
  return printResult(ctx.io, ctx.json, parsed.value.info, () => detailsForPeople(parsed.value.info, ctx.style));
}

async function importCert(ctx: CommandContext, file: InputFile): Promise<number> {
  const id = str(ctx.parsed, 'id');
  return withBackend(ctx, (b) =>
    callAndPrint(
      ctx,
      b,
      'certificates.upload',
      {
        ...(id !== undefined ? { id } : {}),
        data: file.bytes.toString('base64'),
        ...(file.password !== undefined ? { password: file.password } : {}),
        fileName: file.name,
        replace: flag(ctx.parsed, 'replace'),
      },
      ({ certificate, created }) =>
        `${created ? 'Uploaded' : 'Replaced'} the client certificate "${certificate.id}".\n\n${detailsForPeople(certificate, ctx.style)}`,
      ({ certificate }) => certificate,
    ),
  );
}

/** Terminal columns `cert list` fits in without --wide. */
export const LIST_WIDTH = 100;

/** `cert list [--wide]`: the table on stdout; a note on stderr when a column was shortened to fit. */
function listCommand(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, async (b) => {
    const result = await b.call('certificates.list', {});
    if (!result.ok) return printError(ctx.io, ctx.json, result.error);
    if (ctx.json) return printResult(ctx.io, true, result.value, () => '');
    const list = listForPeople(result.value, ctx.style, flag(ctx.parsed, 'wide'));
    ctx.io.stdout.write(`${list.text}\n`);
    if (list.shortened) ctx.io.stderr.write(`Some columns were shortened (…) to fit ${LIST_WIDTH} columns: certgate cert list --wide shows them whole.\n`);
    return EXIT_OK;
  });
}

/**
 * The certificates as a table. Within 100 columns: the whole thumbprint (copy and paste), the expiry in the
 * console's words, and the subject and the APIs (then, for very long ids, the id) shortened with "…".
 * --wide: everything whole, with the expiry date.
 */
export function listForPeople(
  certs: readonly CertificateWithUsage[],
  style: TextStyle,
  wide: boolean,
  now: Date = new Date(),
): { readonly text: string; readonly shortened: boolean } {
  if (certs.length === 0) return { text: 'No client certificates yet. Upload one with: certgate cert import FILE.pfx --password-stdin', shortened: false };
  const headers = ['ID', 'SUBJECT', 'THUMBPRINT', 'EXPIRES', 'USED BY'];
  const rows = certs.map((c) => [
    printable(c.id),
    printable(c.subject),
    thumbprintForPeople(c.thumbprint, style),
    wide ? `${c.notAfter.slice(0, 10)} (${expiryInWords(c.notAfter, now)})` : expiryInWords(c.notAfter, now),
    c.usedBy.length === 0 ? '-' : printable(c.usedBy.map((u) => u.apiName).join(', ')),
  ]);
  if (wide) return fitTable(headers, rows, Number.POSITIVE_INFINITY, []);
  // The id is what the next command needs, so it is cut last.
  return fitTable(headers, rows, LIST_WIDTH, [
    { column: 1, min: 20 },
    { column: 4, min: 12 },
    { column: 1, min: 12 },
    { column: 4, min: 8 },
    { column: 1, min: 0 },
    { column: 0, min: 8 },
  ]);
}

function detailsForPeople(c: CertificateInfo | Certificate | CertificateWithUsage, style: TextStyle): string {
  const rows: [string, string][] = [];
  if ('id' in c) rows.push(['Id', c.id]);
  rows.push(
    ['Subject', c.subject],
    ['Issuer', c.issuer],
    ['Thumbprint', thumbprintForPeople(c.thumbprint, style)],
    ['SHA-256', c.sha256Fingerprint],
    ['Serial', c.serialNumber],
    ['Valid from', c.notBefore],
    ['Expires', `${c.notAfter} (${expiryInWords(c.notAfter)})`],
    ['Key', `${c.keyType}${c.keySize ? ` ${c.keySize} bits` : ''}${c.curve ? ` ${c.curve}` : ''}`],
  );
  if (c.subjectAltNames.length > 0) rows.push(['Alt names', c.subjectAltNames.join(', ')]);
  rows.push(['Chain', c.chain.map((e, i) => `${i === 0 ? '' : '  <- '}${e.subject}`).join('')]);
  const p = c.protection;
  rows.push(['File', `${p.format}; keys: ${p.keyEncryption}; certificates: ${p.certificateEncryption}; MAC: ${p.mac}`]);
  if (p.weak) rows.push(['Warning', `weak protection: ${p.weakReasons.join('; ')}`]);
  if ('usedBy' in c) rows.push(['Used by', c.usedBy.length === 0 ? '-' : c.usedBy.map((u) => `${u.apiName} (${u.reference})`).join(', ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  // Everything but the thumbprint comes from the file: printed so that it cannot drive the terminal.
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${k === 'Thumbprint' ? v : printable(v)}`).join('\n');
}
