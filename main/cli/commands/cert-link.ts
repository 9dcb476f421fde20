import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Certificate } from '../../../preload/contract';
import { flag, str } from '../args';
import { callAndPrint, usage, withBackend, type CommandContext } from '../context';
import { EXIT_OK, printError, printResult } from '../output';
import { promptHidden, readPasswordFromStdin } from '../password';
import { printable } from '../text';

/** Help lines of the lifecycle commands, for CERT_HELP. */
export const LINK_HELP_LINES = `  link FILE --id ID [--replace] [--password-stdin] [--json]
                 follow a PFX/PEM file on this machine: imported now, then re-imported whenever the file
                 changes (a renewal by certbot, step, a synced secret), checked against every API using it
                 first; the password is kept in the vault. --replace links an existing id (its APIs follow)
  unlink ID [--json]                                          stop following; the current version stays
  sync ID [--json]                                            read the linked file now
  export ID --format pfx|pem [--public] [--out FILE] [--password-stdin] [--json]
                 a modern file of any certificate: PFX (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC, the
                 chain, the friendly name) or PEM (chain + PKCS #8 key, encrypted when a password is given).
                 It holds the PRIVATE KEY and asks for a new password (PFX: required); --public writes the
                 certificate only (.cer DER for pfx, the chain for pem). Written 0600 to --out, or ID.pfx/.pem/.cer
                 here (never over an existing file unless named by --out; --out - writes to standard output)`;

/** `cert link FILE --id ID`. */
export async function linkCommand(ctx: CommandContext, file: string): Promise<number> {
  const id = str(ctx.parsed, 'id');
  if (id === undefined) return usage(ctx, 'cert link needs --id ID: the certificate that follows the file.', LINK_HELP_LINES);
  const password = flag(ctx.parsed, 'password-stdin') ? await readPasswordFromStdin(ctx.io) : ctx.io.stdin.isTTY ? await promptHidden(ctx.io, `Password for ${path.basename(file)} (empty if none): `) : undefined;
  return withBackend(ctx, (b) =>
    callAndPrint(
      ctx,
      b,
      'certificates.link',
      { id, file: path.resolve(file), ...(password !== undefined ? { password } : {}), replace: flag(ctx.parsed, 'replace') },
      ({ certificate, created }) => `${created ? 'Linked' : 'Linked the existing'} client certificate "${certificate.id}" to ${printable(certificate.source?.file ?? file)}.\n${linkState(certificate)}`,
    ),
  );
}

/** `cert unlink ID`. */
export function unlinkCommand(ctx: CommandContext, id: string): Promise<number> {
  return withBackend(ctx, (b) =>
    callAndPrint(ctx, b, 'certificates.unlink', { id }, (c) => `"${c.id}" no longer follows a file; version ${c.version ?? 1} stays as an ordinary certificate.`),
  );
}

/**
 * `cert sync ID`: read the linked file now. A sync that changed nothing because the file is bad is a failure of
 * the command (exit 1, the reason on stderr; with --json the error, the certificate in its details), so a
 * script or a scheduler sees it; the state is still printed for people.
 */
export function syncCommand(ctx: CommandContext, id: string): Promise<number> {
  return withBackend(ctx, async (b) => {
    const result = await b.call('certificates.sync', { id });
    if (!result.ok) return printError(ctx.io, ctx.json, result.error);
    const c = result.value;
    const failed = c.source?.syncError;
    if (!failed) return printResult(ctx.io, ctx.json, c, () => linkState(c));
    if (!ctx.json) ctx.io.stdout.write(`${linkState(c)}\n`);
    const message = `The sync of "${c.id}" failed, nothing changed (still version ${c.version ?? 1}): ${failed.message}`;
    return printError(ctx.io, ctx.json, { code: failed.code, message, details: { certificate: c } });
  });
}

/** A linked certificate's sync state in words. */
export function linkState(c: Certificate): string {
  const s = c.source;
  if (!s) return `"${c.id}" is not linked to a file.`;
  const lines = [`"${c.id}" version ${c.version ?? 1} follows ${printable(s.file)}: ${s.state === 'ok' ? 'in sync' : s.state === 'pending' ? 'a change is settling' : 'the last sync failed'}.`];
  lines.push(`Last good sync: ${s.lastGoodSyncAt ?? 'never'}`);
  if (s.syncError) {
    lines.push(`Sync error (${s.syncError.code}, ${s.syncError.at}): ${printable(s.syncError.message)}`);
    if (s.syncError.apisAtRisk.length > 0) lines.push(`APIs at risk (still on version ${c.version ?? 1}): ${printable(s.syncError.apisAtRisk.join(', '))}`);
  }
  return lines.join('\n');
}

/** `cert export ID --format pfx|pem [--public] [--out FILE] [--password-stdin]`. */
export async function exportCertCommand(ctx: CommandContext, id: string): Promise<number> {
  const requested = str(ctx.parsed, 'format');
  if (requested !== 'pfx' && requested !== 'pem') return usage(ctx, 'cert export needs --format pfx or --format pem.', LINK_HELP_LINES);
  const isPublic = flag(ctx.parsed, 'public');
  const format = isPublic && requested === 'pfx' ? 'cer' : requested;
  let password: string | undefined;
  if (!isPublic) {
    if (flag(ctx.parsed, 'password-stdin')) password = await readPasswordFromStdin(ctx.io);
    else if (ctx.io.stdin.isTTY) {
      ctx.io.stderr.write(`This file holds the PRIVATE KEY of "${id}".\n`);
      password = await promptHidden(ctx.io, format === 'pfx' ? 'New password for the file: ' : 'New password for the key (empty: not encrypted): ');
      if ((await promptHidden(ctx.io, 'The same password again: ')) !== password) {
        return printError(ctx.io, ctx.json, { code: 'validation', message: 'The two passwords differ; nothing was written.' });
      }
    } else if (format === 'pfx') {
      return usage(ctx, 'A PFX export needs a new password: pipe it with --password-stdin.', LINK_HELP_LINES);
    }
    if (password === '') password = undefined;
  }
  const out = str(ctx.parsed, 'out');
  if (out === '-' && ctx.io.stdout.isTTY && format !== 'pem') return usage(ctx, 'Refusing to write a binary file to the terminal: use --out FILE.', LINK_HELP_LINES);
  return withBackend(ctx, async (b) => {
    const result = await b.call('certificates.export', { id, format, includePrivateKey: !isPublic, ...(password !== undefined ? { password } : {}) });
    if (!result.ok) return printError(ctx.io, ctx.json, result.error);
    const bytes = Buffer.from(result.value.data, 'base64');
    if (out === '-') {
      ctx.io.stdout.write(bytes);
      return EXIT_OK;
    }
    const target = path.resolve(out ?? result.value.fileName);
    const written = await writePrivate(target, bytes, out !== undefined);
    if (!written.ok) return printError(ctx.io, ctx.json, { code: 'io-error', message: written.message });
    const { data: _data, ...meta } = result.value;
    return printResult(ctx.io, ctx.json, { ...meta, path: target }, () =>
      `Wrote ${printable(target)} (${format.toUpperCase()}, ${result.value.containsPrivateKey ? 'with the PRIVATE KEY' : 'certificate only'}; readable by you only).`,
    );
  });
}

/** Write a file readable by its owner only (0600, also when it existed); without `overwrite`, never over a file. */
async function writePrivate(file: string, bytes: Buffer, overwrite: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const handle = await open(file, overwrite ? 'w' : 'wx', 0o600);
    try {
      // Before the first byte: an existing file keeps its old mode otherwise.
      await handle.chmod(0o600);
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    return { ok: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, message: code === 'EEXIST' ? `${file} exists; name it with --out to overwrite it.` : `Cannot write ${file}: ${code}. Nothing was written.` };
  }
}
