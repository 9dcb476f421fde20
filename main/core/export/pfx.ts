/**
 * A PKCS#12 (PFX) file from a certificate's PEM key and chain, for services that import only PFX files
 * (Azure API Management). Built with node-forge, which handles RSA keys only.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { fail, ok, type Result } from '../../../preload/contract';

/** A PFX file and the random password that protects it. */
export interface BuiltPfx {
  readonly pfx: Uint8Array;
  readonly password: string;
}

/**
 * Build a PFX protected by a fresh random password (256 bits, base64url). Keys and certificates are
 * encrypted with 3DES, which every Windows and Azure import accepts; with a random password of this
 * length the cipher, not the password, is what an attacker would face, and it holds. EC and Ed25519
 * keys are refused with `unsupported-algorithm` (node-forge cannot write them).
 */
export function buildPfx(keyPem: string, chainPem: string, friendlyName: string): Result<BuiltPfx> {
  try {
    if (createPrivateKey(keyPem).asymmetricKeyType !== 'rsa') {
      return fail('unsupported-algorithm', 'Only RSA keys can be written to a PFX file here.');
    }
    const key = forge.pki.privateKeyFromPem(keyPem);
    const certs = (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((pem) =>
      forge.pki.certificateFromPem(pem),
    );
    if (certs.length === 0) return fail('no-certificate', 'The certificate chain is empty.');
    const password = randomBytes(32).toString('base64url');
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName, generateLocalKeyId: true });
    const der = forge.asn1.toDer(asn1).getBytes();
    return ok({ pfx: Uint8Array.from(Buffer.from(der, 'binary')), password });
  } catch (err) {
    return fail('invalid-format', `The certificate could not be written as a PFX file: ${err instanceof Error ? err.message : String(err)}.`);
  }
}
