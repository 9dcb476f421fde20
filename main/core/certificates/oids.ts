/** Object identifiers of PKCS #5, #7, #9, #12 and X.500 that the readers recognise. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',

  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',

  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  scrypt: '1.3.6.1.4.1.11591.4.11',
} as const;

/** Digests: the name Node's crypto knows, the name people read, output and block sizes in octets. */
export interface DigestSpec {
  readonly node: string;
  readonly label: string;
  readonly size: number;
  readonly block: number;
}

const SHA1: DigestSpec = { node: 'sha1', label: 'SHA1', size: 20, block: 64 };
const SHA224: DigestSpec = { node: 'sha224', label: 'SHA224', size: 28, block: 64 };
const SHA256: DigestSpec = { node: 'sha256', label: 'SHA256', size: 32, block: 64 };
const SHA384: DigestSpec = { node: 'sha384', label: 'SHA384', size: 48, block: 128 };
const SHA512: DigestSpec = { node: 'sha512', label: 'SHA512', size: 64, block: 128 };
const SHA512_224: DigestSpec = { node: 'sha512-224', label: 'SHA512-224', size: 28, block: 128 };
const SHA512_256: DigestSpec = { node: 'sha512-256', label: 'SHA512-256', size: 32, block: 128 };
/** The digest of the RFC 7292 MAC's DigestInfo. */
export const DIGESTS: Readonly<Record<string, DigestSpec>> = {
  '1.3.14.3.2.26': SHA1,
  '2.16.840.1.101.3.4.2.4': SHA224,
  '2.16.840.1.101.3.4.2.1': SHA256,
  '2.16.840.1.101.3.4.2.2': SHA384,
  '2.16.840.1.101.3.4.2.3': SHA512,
  '2.16.840.1.101.3.4.2.5': SHA512_224,
  '2.16.840.1.101.3.4.2.6': SHA512_256,
};

/** The HMAC algorithms of PKCS #5 (PBKDF2 pseudo-random functions, PBMAC1 message authentication). */
export const HMACS: Readonly<Record<string, DigestSpec>> = {
  '1.2.840.113549.2.7': SHA1,
  '1.2.840.113549.2.8': SHA224,
  '1.2.840.113549.2.9': SHA256,
  '1.2.840.113549.2.10': SHA384,
  '1.2.840.113549.2.11': SHA512,
  '1.2.840.113549.2.12': SHA512_224,
  '1.2.840.113549.2.13': SHA512_256,
};

/** The hmacWithSHA1 OID: PBKDF2's default pseudo-random function. */
export const HMAC_SHA1 = '1.2.840.113549.2.7';
