/** Private keys: loading with Node's crypto (RSA, EC and Ed25519), and finding the certificate each belongs to. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { CertificateInfo } from '../../../preload/contract';
import type { LoadedCertificate } from './certificate-info';
import { refuse } from './errors';
import type { KeyEntry } from './extracted';
import type { Pacer } from './pacer';

/** A private key of the file, parsed once. */
export interface LoadedKey {
  readonly key: KeyObject;
  readonly entry: KeyEntry;
}

/** The key's type as the contract names it. */
export type KeyDescription = Pick<CertificateInfo, 'keyType' | 'keySize' | 'curve'>;

const CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** Parse a PKCS #8 key. */
export function loadKey(entry: KeyEntry): LoadedKey {
  try {
    return { key: createPrivateKey({ key: Buffer.from(entry.pkcs8), format: 'der', type: 'pkcs8' }), entry };
  } catch {
    return refuse('invalid-format', 'CertGate cannot read the private key in {file}: it is damaged or of a kind CertGate does not know.', 'private key');
  }
}

/** RSA (with its size), EC (with its curve) or Ed25519; any other kind is refused. */
export function describeKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { keyType: 'RSA', keySize: details.modulusLength ?? null, curve: null };
    case 'ec':
      return { keyType: 'EC', keySize: null, curve: CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? null };
    case 'ed25519':
      return { keyType: 'Ed25519', keySize: null, curve: null };
    default:
      return refuse(
        'unsupported-algorithm',
        `CertGate cannot use the ${String(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key in {file}: it supports RSA, EC and Ed25519 keys.`,
      );
  }
}

function matches(cert: LoadedCertificate, key: KeyObject): boolean {
  try {
    return cert.x509.checkPrivateKey(key);
  } catch {
    return false;
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a !== null && b !== null && Buffer.from(a).equals(b);
}

/**
 * The first key that belongs to one of the certificates, with that certificate (the leaf), wherever it
 * sits in the file. Certificates sharing the key's localKeyId are tried first.
 */
export async function findLeaf(
  keys: readonly LoadedKey[],
  certs: readonly LoadedCertificate[],
  pacer: Pacer,
): Promise<{ readonly key: LoadedKey; readonly cert: LoadedCertificate } | null> {
  for (const key of keys) {
    const tagged = certs.filter((c) => sameBytes(c.entry.localKeyId, key.entry.localKeyId));
    const ordered = [...tagged, ...certs.filter((c) => !tagged.includes(c))];
    for (const cert of ordered) {
      if (matches(cert, key.key)) return { key, cert };
      await pacer.pace();
    }
  }
  return null;
}
