/** Telling a wrong password from a damaged file, and saying so in words people understand. */
import { DecryptFailure } from './ciphers';
import { isUniversal, readDer, sequence, TAG } from './der';
import { CertificateFileError, refuse } from './errors';
import type { ParseContext } from './limits';

/** Refuse with `bad-password`, worded for a given or a missing password. */
export function badPassword(password: string | undefined): never {
  if (password === undefined || password === '') {
    return refuse('bad-password', '{file} is protected by a password: enter it to open the file.');
  }
  return refuse('bad-password', 'The password is wrong for {file}.');
}

/**
 * A decrypted private key must at least look like PKCS #8 PrivateKeyInfo (SEQUENCE { INTEGER,
 * AlgorithmIdentifier, OCTET STRING }); garbage that slipped past the padding check means a wrong password.
 */
export function checkPkcs8Shape(pkcs8: Uint8Array, ctx: ParseContext): void {
  try {
    const [version, algorithm, key] = sequence(readDer(pkcs8, ctx.budget), 3);
    if (!isUniversal(version, TAG.INTEGER) || !isUniversal(algorithm, TAG.SEQUENCE) || !isUniversal(key, TAG.OCTET_STRING)) {
      throw new DecryptFailure();
    }
  } catch (err) {
    if (err instanceof CertificateFileError || err instanceof DecryptFailure) throw new DecryptFailure();
    throw err;
  }
}
