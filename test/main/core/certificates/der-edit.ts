/**
 * Edits real PFX and PKCS #8 files with node-forge's ASN.1 codec to make hostile variants (huge iteration
 * counts, BER encodings) without asking a tool to do the expensive work itself.
 */
import forge from 'node-forge';

type Asn1 = forge.asn1.Asn1;
const { asn1 } = forge;

/** Decode DER bytes. */
export function decode(bytes: Uint8Array): Asn1 {
  return asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
}

/** Encode to DER bytes. */
export function encode(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

/** The child at `path` (indices through `value` arrays). */
export function at(node: Asn1, ...path: number[]): Asn1 {
  let current = node;
  for (const index of path) {
    const next = (current.value as Asn1[])[index];
    if (!next) throw new Error(`no child ${index}`);
    current = next;
  }
  return current;
}

/** An INTEGER holding `value` (non-negative). */
export function integer(value: number): Asn1 {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

/** Replace the child at `path` of `node`. */
export function replace(node: Asn1, path: readonly number[], value: Asn1): void {
  const parent = at(node, ...path.slice(0, -1));
  (parent.value as Asn1[])[path[path.length - 1]!] = value;
}

/** Edit the AuthenticatedSafe inside a PFX (the DER inside the authSafe OCTET STRING). */
export function editAuthSafe(pfx: Uint8Array, edit: (authSafe: Asn1) => void): Buffer {
  const root = decode(pfx);
  const octet = at(root, 1, 1, 0);
  const authSafe = asn1.fromDer(forge.util.createBuffer(octet.value as string));
  edit(authSafe);
  octet.value = asn1.toDer(authSafe).getBytes();
  return encode(root);
}

/** The path, inside an AuthenticatedSafe, of the PBKDF2 iteration count of OpenSSL's encrypted certificate bag. */
export function encryptedDataPbkdf2IterationsPath(authSafe: Asn1): number[] {
  const infos = authSafe.value as Asn1[];
  const index = infos.findIndex((info) => asn1.derToOid(forge.util.createBuffer(at(info, 0).value as string)) === '1.2.840.113549.1.7.6');
  if (index < 0) throw new Error('no encryptedData');
  // ContentInfo > [0] > EncryptedData > EncryptedContentInfo > AlgorithmIdentifier > PBES2-params > KDF > PBKDF2-params > iterations
  return [index, 1, 0, 1, 1, 1, 0, 1, 1];
}

/**
 * Re-encode a DER element as BER the way old NSS/Java exports do: every constructed element with an
 * indefinite length, and OCTET STRINGs longer than `chunk` split into a constructed string of pieces.
 */
export function toBer(bytes: Uint8Array, chunk = 512, octetStringsToWalk: (depth: number) => boolean = () => true): Buffer {
  return berOf(decode(bytes), chunk, 0, octetStringsToWalk);
}

function header(node: Asn1, constructed: boolean): number {
  const classBits = (node.tagClass as number) & 0xc0;
  return classBits | (constructed ? 0x20 : 0) | (node.type as number);
}

function berOf(node: Asn1, chunk: number, depth: number, walk: (depth: number) => boolean): Buffer {
  if (node.constructed) {
    const inner = (node.value as Asn1[]).map((c) => berOf(c, chunk, depth + 1, walk));
    return Buffer.concat([Buffer.from([header(node, true), 0x80]), ...inner, Buffer.from([0, 0])]);
  }
  const value = Buffer.from(node.value as string, 'binary');
  if (node.tagClass === asn1.Class.UNIVERSAL && node.type === asn1.Type.OCTETSTRING && value.length > chunk && walk(depth)) {
    const pieces: Buffer[] = [];
    for (let i = 0; i < value.length; i += chunk) pieces.push(primitive(0x04, value.subarray(i, i + chunk)));
    return Buffer.concat([Buffer.from([0x24, 0x80]), ...pieces, Buffer.from([0, 0])]);
  }
  return encode(node);
}

function primitive(tag: number, value: Buffer): Buffer {
  const len = value.length;
  const lenBytes = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
  return Buffer.concat([Buffer.from([tag, ...lenBytes]), value]);
}
