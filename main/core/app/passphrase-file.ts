/**
 * The vault passphrase from the file named by CERTGATE_VAULT_PASSPHRASE_FILE: the one way to give it without
 * the command line (argv is visible to every user of the machine) that both `certgate` and the desktop app read.
 */
import { readFile, stat } from 'node:fs/promises';
import { fail, ok, type Result } from '../../../preload/contract/result';

/** The environment variable naming a file that holds the vault passphrase (one line). */
export const PASSPHRASE_FILE_ENV = 'CERTGATE_VAULT_PASSPHRASE_FILE';

const MAX_BYTES = 4096;

/**
 * The passphrase in the file named by `env[CERTGATE_VAULT_PASSPHRASE_FILE]` (one trailing newline removed), null
 * when the variable is not set; `validation` when the file is missing, unreadable, empty or too large.
 * `warn` hears that others can read the file (said, not refused: the operator decides where it lives).
 */
export async function passphraseFromFile(env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<Result<string | null>> {
  const file = env[PASSPHRASE_FILE_ENV];
  if (!file) return ok(null);
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > MAX_BYTES) return fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which is too large to be a passphrase file.`);
    text = await readFile(file, 'utf8');
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) warn(`${file} (${PASSPHRASE_FILE_ENV}) can be read by other users; chmod 600 it.`);
  } catch (err) {
    return fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  return passphrase === '' ? fail('validation', `${PASSPHRASE_FILE_ENV} names ${file}, which is empty.`) : ok(passphrase);
}
