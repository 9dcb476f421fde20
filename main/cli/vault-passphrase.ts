import { fail, ok, type Result } from '../../preload/contract/result';
import { PASSPHRASE_FILE_ENV, passphraseFromFile } from '../core/app/passphrase-file';
import { flag } from './args';
import type { CommandContext } from './context';
import { readPasswordFromStdin } from './password';

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
  return passphraseFromFile(ctx.io.env, (message) => ctx.io.stderr.write(`certgate: warning: ${message}\n`));
}
