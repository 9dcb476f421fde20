import { readFile, stat } from 'node:fs/promises';
import { fail, ok, type Result } from '../../preload/contract/result';
import { flag } from './args';
import type { CommandContext } from './context';
import { readPasswordFromStdin } from './password';

/** The environment variable naming a file that holds the vault passphrase (one line). */
export const PASSPHRASE_FILE_ENV = 'CERTGATE_VAULT_PASSPHRASE_FILE';

/**
 * The vault passphrase the operator gave, never from the command line itself: `--vault-passphrase-stdin`
 * (standard input, one trailing newline removed) or the file named by CERTGATE_VAULT_PASSPHRASE_FILE.
 * null when neither is given (the OS keychain, or a locked passphrase vault).
 */
export async function vaultPassphrase(ctx: Pick<CommandContext, 'io' | 'parsed'>): Promise<Result<string | null>> {
  if (flag(ctx.parsed, 'vault-passphrase-stdin')) {
    if (flag(ctx.parsed, 'password-stdin')) {
      return fail('validation', `Standard input cannot carry both the file's password and the vault passphrase: give the passphrase in a file named by ${PASSPHRASE_FILE_ENV} instead.`);
    }
    const passphrase = await readPasswordFromStdin(ctx.io);
    return passphrase === '' ? fail('validation', '--vault-passphrase-stdin read an empty passphrase.') : ok(passphrase);
  }
  const file = ctx.io.env[PASSPHRASE_FILE_ENV];
  if (!file) return ok(null);
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > 4096) return fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which is too large to be a passphrase file.`);
    text = await readFile(file, 'utf8');
    // Said, not refused: the operator decides where the file lives; others being able to read it is worth knowing.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      ctx.io.stderr.write(`certgate: warning: ${file} (${PASSPHRASE_FILE_ENV}) can be read by other users; chmod 600 it.\n`);
    }
  } catch (err) {
    return fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  return passphrase === '' ? fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which is empty.`) : ok(passphrase);
}
