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
import { MAX_TOTAL_ROUNDS, overBudget, type ParseContext } from './limits';
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
/** Above this many iterations per encrypted part, decryption waits for the MAC instead of running beside it. */
const SPECULATE_ITERATIONS = 100_000;

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
  // What can be seen before decrypting anything is checked against the total budget first: a file that asks
  // for too much in all is refused in milliseconds, not after minutes of derivations.
  const visible = visibleCost(pfx);
  if (visible.rounds > MAX_TOTAL_ROUNDS) overBudget(visible.rounds);
  const forms = passwordForms(password);
  let order = forms;
  if (pfx.mac) {
    // For everyday files, decrypt with the likeliest form while the MAC is checked (PBKDF2 runs on the thread
    // pool meanwhile); expensive files wait for the MAC, so a wrong password never costs the pool twice.
    // Nothing decrypted is used, and no decryption error is reported, unless the MAC accepts the password.
    const first = forms[0]!;
    const cheap = visibleSchemes(pfx).every((scheme) => scheme.iterations <= SPECULATE_ITERATIONS);
    const early = cheap ? settle(decryptAll(pfx, first, ctx)) : undefined;
    let verified: PasswordForm | undefined;
    for (const form of forms) {
      if (await pfx.mac.verify(form, pfx.authSafe, ctx)) {
        verified = form;
        break;
      }
    }
    const outcome = await early;
    if (!verified) return badPassword(password);
    if (!outcome) {
      order = [verified, ...forms.filter((f) => f !== verified)];
    } else {
      if (outcome.ok) return outcome.value;
      if (verified === first && !(outcome.error instanceof DecryptFailure)) throw outcome.error;
      // Some exporters key the MAC and the encryption with different forms (absent vs empty): try the rest.
      order = [verified, ...forms.filter((f) => f !== verified)].filter((f) => f !== first);
    }
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

/**
 * What a PFX costs to open with one password form, as far as can be seen without deriving anything: the MAC,
 * the encrypted parts and the encrypted keys in clear parts (keys inside encrypted parts are found later).
 */
export function estimatePkcs12(data: Uint8Array, ctx: ParseContext): { readonly derivations: number; readonly rounds: number } {
  return visibleCost(parsePfx(data, ctx));
}

function visibleCost(pfx: Pfx): { readonly derivations: number; readonly rounds: number } {
  const schemes = visibleSchemes(pfx);
  return {
    derivations: schemes.length + (pfx.mac ? 1 : 0),
    rounds: schemes.reduce((sum, scheme) => sum + scheme.rounds, pfx.mac?.rounds ?? 0),
  };
}

/** The encryption schemes known before decrypting anything: encrypted parts and keys in clear parts. */
function visibleSchemes(pfx: Pfx): PbeScheme[] {
  return pfx.contents.flatMap((c) => (c.kind === 'encrypted' ? [c.scheme] : c.bags.flatMap((b) => (b.kind === 'shrouded' ? [b.scheme] : []))));
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
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
    return { kind: 'encrypted', scheme, data: octets(encrypted, 0) };
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

/** Decrypt every part at once (each derivation is independent), keeping the file's order. */
async function decryptAll(pfx: Pfx, form: PasswordForm, ctx: ParseContext): Promise<Extracted> {
  const parts = await Promise.all(
    pfx.contents.map(async (content) => {
      const bags = content.kind === 'plain' ? content.bags : parseDecrypted(await content.scheme.decrypt(form, content.data, ctx), ctx);
      return Promise.all(bags.map((bag) => openBag(bag, form, ctx)));
    }),
  );
  const entries = parts.flat();
  return {
    format: 'pkcs12',
    certs: entries.filter((e): e is CertEntry => 'der' in e),
    keys: entries.filter((e): e is KeyEntry => 'pkcs8' in e),
    certSchemes: pfx.contents.flatMap((c) => (c.kind === 'encrypted' ? [c.scheme] : [])),
    mac: pfx.mac,
  };
}

async function openBag(bag: Bag, form: PasswordForm, ctx: ParseContext): Promise<CertEntry | KeyEntry> {
  switch (bag.kind) {
    case 'cert':
      return { der: bag.der, ...bag.attrs };
    case 'key':
      return { pkcs8: bag.pkcs8, ...bag.attrs, scheme: null };
    case 'shrouded': {
      const pkcs8 = await bag.scheme.decrypt(form, bag.data, ctx);
      checkPkcs8Shape(pkcs8, ctx);
      return { pkcs8, ...bag.attrs, scheme: bag.scheme };
    }
  }
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
