/**
 * Reads a PFX/P12 (RFC 7292) whatever tool made it: walks the structure synchronously (bounded by the
 * file size and the DER budget), checks every cost-bearing parameter before deriving anything, verifies
 * the integrity check (classic HMAC or PBMAC1) to tell a wrong password, then decrypts the bags.
 */
import { DecryptFailure } from './ciphers';
import { explicit, isContext, isUniversal, octets, oid, readDer, sequence, set, smallInteger, TAG, type Der } from './der';
import { CertificateFileError, DAMAGED, refuse } from './errors';
import type { CertEntry, Extracted, KeyEntry } from './extracted';
import { passwordForms, type PasswordForm } from './kdf';
import type { ParseContext } from './limits';
import { parseMacData, type MacCheck } from './mac';
import { OID } from './oids';
import { parsePbe, type PbeScheme } from './pbe';
import { badPassword, checkPkcs8Shape } from './passwords';

interface Attributes {
  readonly friendlyName: string | null;
  readonly localKeyId: Uint8Array | null;
}

type Bag =
  | { readonly kind: 'cert'; readonly der: Uint8Array; readonly attrs: Attributes }
  | { readonly kind: 'key'; readonly pkcs8: Uint8Array; readonly attrs: Attributes }
  | { readonly kind: 'shrouded'; readonly scheme: PbeScheme; readonly data: Uint8Array; readonly attrs: Attributes };

type Content =
  | { readonly kind: 'plain'; readonly bags: readonly Bag[] }
  | { readonly kind: 'encrypted'; readonly scheme: PbeScheme; readonly data: Uint8Array };

interface Pfx {
  readonly authSafe: Uint8Array;
  readonly mac: MacCheck | null;
  readonly contents: readonly Content[];
}

const MAX_NESTING = 4;

/** True when the bytes start like a PFX: SEQUENCE { INTEGER, SEQUENCE { OID ... } ... }. */
export function looksLikePfx(data: Uint8Array, ctx: ParseContext): boolean {
  try {
    const items = sequence(readDer(data, ctx.budget, true), 2);
    return isUniversal(items[0], TAG.INTEGER) && isUniversal(sequence(items[1], 1)[0], TAG.OID);
  } catch (err) {
    if (err instanceof CertificateFileError) return false;
    throw err;
  }
}

/** Read a PFX with the caller's password (trying absent and empty forms when none was given). */
export async function readPkcs12(data: Uint8Array, password: string | undefined, ctx: ParseContext): Promise<Extracted> {
  const pfx = parsePfx(data, ctx);
  const forms = passwordForms(password);
  let order = forms;
  if (pfx.mac) {
    let verified: PasswordForm | undefined;
    for (const form of forms) {
      if (await pfx.mac.verify(form, pfx.authSafe, ctx)) {
        verified = form;
        break;
      }
    }
    if (!verified) return badPassword(password);
    order = [verified, ...forms.filter((f) => f !== verified)];
  }
  for (const form of order) {
    try {
      return await decryptAll(pfx, form, ctx);
    } catch (err) {
      if (!(err instanceof DecryptFailure)) throw err;
    }
  }
  return badPassword(password);
}

function parsePfx(data: Uint8Array, ctx: ParseContext): Pfx {
  const items = sequence(readDer(data, ctx.budget, true), 2);
  if (smallInteger(items[0]) !== 3) refuse('invalid-format', DAMAGED, 'PFX version');
  const [typeNode, contentNode] = sequence(items[1], 1);
  const type = oid(typeNode);
  if (type === OID.signedData) {
    refuse('unsupported-algorithm', 'CertGate cannot open {file}: it is signed with a public key instead of protected by a password.');
  }
  if (type !== OID.data) refuse('invalid-format', DAMAGED, 'authSafe type');
  const authSafe = octets(explicit(contentNode, 0));
  // The MAC is parsed (and its cost checked) before anything is derived.
  const mac = items[2] ? parseMacData(items[2]) : null;
  const contents = sequence(readDer(authSafe, ctx.budget)).map((info) => parseContentInfo(info, ctx));
  return { authSafe, mac, contents };
}

function parseContentInfo(info: Der, ctx: ParseContext): Content {
  const [typeNode, contentNode] = sequence(info, 1);
  const type = oid(typeNode);
  if (type === OID.data) {
    return { kind: 'plain', bags: parseSafeContents(octets(explicit(contentNode, 0)), ctx, 0) };
  }
  if (type === OID.encryptedData) {
    const [, encryptedContentInfo] = sequence(explicit(contentNode, 0), 2);
    const [, algorithm, encrypted] = sequence(encryptedContentInfo, 2);
    const scheme = parsePbe(algorithm);
    if (!isContext(encrypted, 0)) return { kind: 'plain', bags: [] };
    return { kind: 'encrypted', scheme, data: octets(encrypted) };
  }
  if (type === OID.envelopedData) {
    return refuse('unsupported-algorithm', 'CertGate cannot open {file}: part of it is encrypted to a public key instead of a password.');
  }
  return refuse('invalid-format', DAMAGED, 'content type');
}

function parseSafeContents(bytes: Uint8Array, ctx: ParseContext, depth: number): Bag[] {
  if (depth > MAX_NESTING) refuse('invalid-format', DAMAGED, 'nested bags');
  const bags: Bag[] = [];
  for (const bag of sequence(readDer(bytes, ctx.budget))) {
    const [idNode, valueNode, attrsNode] = sequence(bag, 2);
    const id = oid(idNode);
    const value = explicit(valueNode, 0);
    const attrs = attrsNode ? parseAttributes(attrsNode) : { friendlyName: null, localKeyId: null };
    if (id === OID.certBag) {
      const [certType, certValue] = sequence(value, 2);
      if (oid(certType) === OID.x509Certificate) bags.push({ kind: 'cert', der: octets(explicit(certValue, 0)), attrs });
    } else if (id === OID.keyBag) {
      bags.push({ kind: 'key', pkcs8: value.bytes, attrs });
    } else if (id === OID.pkcs8ShroudedKeyBag) {
      const [algorithm, encrypted] = sequence(value, 2);
      bags.push({ kind: 'shrouded', scheme: parsePbe(algorithm), data: octets(encrypted), attrs });
    } else if (id === OID.safeContentsBag) {
      bags.push(...parseSafeContents(value.bytes, ctx, depth + 1));
    }
    // CRL, secret and unknown bags carry nothing CertGate needs.
  }
  return bags;
}

function parseAttributes(node: Der): Attributes {
  let friendlyName: string | null = null;
  let localKeyId: Uint8Array | null = null;
  for (const attr of set(node)) {
    const [idNode, valuesNode] = sequence(attr, 2);
    const id = oid(idNode);
    const first = set(valuesNode)[0];
    if (id === OID.friendlyName && isUniversal(first, TAG.BMP_STRING)) friendlyName = Buffer.from(first.content).swap16().toString('utf16le');
    else if (id === OID.friendlyName && isUniversal(first, TAG.UTF8_STRING)) friendlyName = Buffer.from(first.content).toString('utf8');
    else if (id === OID.localKeyId && first !== undefined) localKeyId = octets(first);
  }
  return { friendlyName, localKeyId };
}

async function decryptAll(pfx: Pfx, form: PasswordForm, ctx: ParseContext): Promise<Extracted> {
  const certs: CertEntry[] = [];
  const keys: KeyEntry[] = [];
  const certSchemes: PbeScheme[] = [];
  const take = async (bags: readonly Bag[]) => {
    for (const bag of bags) {
      if (bag.kind === 'cert') {
        certs.push({ der: bag.der, ...bag.attrs });
      } else if (bag.kind === 'key') {
        keys.push({ pkcs8: bag.pkcs8, ...bag.attrs, scheme: null });
      } else {
        const pkcs8 = await bag.scheme.decrypt(form, bag.data, ctx);
        checkPkcs8Shape(pkcs8, ctx);
        keys.push({ pkcs8, ...bag.attrs, scheme: bag.scheme });
      }
    }
  };
  for (const content of pfx.contents) {
    if (content.kind === 'plain') {
      await take(content.bags);
      continue;
    }
    const plain = await content.scheme.decrypt(form, content.data, ctx);
    certSchemes.push(content.scheme);
    await take(parseDecrypted(plain, ctx));
  }
  return { format: 'pkcs12', certs, keys, certSchemes, mac: pfx.mac };
}

/** Decrypted SafeContents that do not parse mean the password (without a MAC to check it) was wrong. */
function parseDecrypted(plain: Uint8Array, ctx: ParseContext): Bag[] {
  try {
    return parseSafeContents(plain, ctx, 0);
  } catch (err) {
    if (err instanceof CertificateFileError && err.code === 'invalid-format') throw new DecryptFailure();
    throw err;
  }
}
