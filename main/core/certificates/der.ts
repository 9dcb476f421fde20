/**
 * A small BER/DER reader over untrusted bytes. Children are read lazily, every read is bounded by the
 * input, nesting depth is capped, and a shared budget caps the total number of elements a file may make
 * us read, so a hostile file cannot make the walk slow or deep. Malformed input throws `CertificateFileError`
 * (`invalid-format`), which the public functions turn into a `fail` value.
 */
import { DAMAGED, refuse } from './errors';

/** Universal tag numbers used by the parsers. */
export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  BMP_STRING: 30,
} as const;

/** Tag classes. */
export const CLASS = { UNIVERSAL: 0, APPLICATION: 1, CONTEXT: 2, PRIVATE: 3 } as const;

/** How much a single file may make the reader do. */
export interface DerBudget {
  elements: number;
}

/** One element: its tag, the whole encoding and its content. */
export interface Der {
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  /** The whole element (header, content and end-of-content octets). */
  readonly bytes: Uint8Array;
  /** The content octets (without the end-of-content octets of an indefinite length). */
  readonly content: Uint8Array;
  readonly budget: DerBudget;
  readonly depth: number;
}

const MAX_DEPTH = 48;
/** Far more elements than any real certificate file holds (a PFX with a long chain has a few thousand). */
export const DEFAULT_ELEMENT_BUDGET = 400_000;

/** Create the reading budget for one file. */
export function newBudget(elements = DEFAULT_ELEMENT_BUDGET): DerBudget {
  return { elements };
}

function malformed(what: string): never {
  return refuse('invalid-format', DAMAGED, what);
}

/** Read one element at `offset` of `buf`. */
function readAt(buf: Uint8Array, offset: number, budget: DerBudget, depth: number): Der {
  if (depth > MAX_DEPTH) malformed('nested too deeply');
  if (--budget.elements < 0) malformed('too many elements');
  let pos = offset;
  if (pos >= buf.length) malformed('truncated');
  const first = buf[pos++]!;
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let n = 0; ; n++) {
      if (pos >= buf.length || n > 3) malformed('bad tag');
      const b = buf[pos++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (pos >= buf.length) malformed('truncated');
  const lenByte = buf[pos++]!;
  if (lenByte === 0x80) {
    // Indefinite length (BER): constructed only, ends with two zero octets after the last child.
    if (!constructed) malformed('indefinite primitive');
    const contentStart = pos;
    for (;;) {
      if (pos + 1 >= buf.length) malformed('truncated');
      if (buf[pos] === 0 && buf[pos + 1] === 0) break;
      pos = end(readAt(buf, pos, budget, depth + 1), buf);
    }
    return {
      cls,
      constructed,
      tag,
      bytes: buf.subarray(offset, pos + 2),
      content: buf.subarray(contentStart, pos),
      budget,
      depth,
    };
  }
  let length = lenByte;
  if (lenByte & 0x80) {
    const count = lenByte & 0x7f;
    if (count > 4) malformed('length too large');
    length = 0;
    for (let i = 0; i < count; i++) {
      if (pos >= buf.length) malformed('truncated');
      length = length * 256 + buf[pos++]!;
    }
  }
  if (pos + length > buf.length) malformed('truncated');
  return {
    cls,
    constructed,
    tag,
    bytes: buf.subarray(offset, pos + length),
    content: buf.subarray(pos, pos + length),
    budget,
    depth,
  };
}

function end(node: Der, buf: Uint8Array): number {
  return node.bytes.byteOffset - buf.byteOffset + node.bytes.length;
}

/** Read the element at the start of `buf`; trailing bytes are allowed only when `allowTrailing`. */
export function readDer(buf: Uint8Array, budget: DerBudget, allowTrailing = false): Der {
  const node = readAt(buf, 0, budget, 0);
  if (!allowTrailing && node.bytes.length !== buf.length) malformed('trailing data');
  return node;
}

/** The children of a constructed element. */
export function children(node: Der): Der[] {
  if (!node.constructed) malformed('expected a constructed element');
  const out: Der[] = [];
  const buf = node.content;
  let pos = 0;
  while (pos < buf.length) {
    const child = readAt(buf, pos, node.budget, node.depth + 1);
    out.push(child);
    pos += child.bytes.length;
  }
  return out;
}

/** True when `node` is the universal element `tag`. */
export function isUniversal(node: Der | undefined, tag: number): node is Der {
  return node !== undefined && node.cls === CLASS.UNIVERSAL && node.tag === tag;
}

/** True when `node` is the context-specific element `[tag]`. */
export function isContext(node: Der | undefined, tag: number): node is Der {
  return node !== undefined && node.cls === CLASS.CONTEXT && node.tag === tag;
}

/** The children of a SEQUENCE, at least `min` of them. */
export function sequence(node: Der | undefined, min = 0): Der[] {
  if (!isUniversal(node, TAG.SEQUENCE) || !node.constructed) malformed('expected a SEQUENCE');
  const items = children(node);
  if (items.length < min) malformed('SEQUENCE too short');
  return items;
}

/** The children of a SET. */
export function set(node: Der | undefined): Der[] {
  if (!isUniversal(node, TAG.SET) || !node.constructed) malformed('expected a SET');
  return children(node);
}

/** The single child of an explicit context tag `[tag]`. */
export function explicit(node: Der | undefined, tag: number): Der {
  if (!isContext(node, tag) || !node.constructed) malformed(`expected [${tag}]`);
  const items = children(node);
  if (items.length !== 1) malformed(`expected one element in [${tag}]`);
  return items[0]!;
}

/** The octets of an OCTET STRING (or of one implicitly tagged `[implicitTag]`), joining BER constructed pieces. */
export function octets(node: Der | undefined, implicitTag?: number): Uint8Array {
  const tagged = implicitTag !== undefined && isContext(node, implicitTag);
  if (node === undefined || (!tagged && !isUniversal(node, TAG.OCTET_STRING))) malformed('expected an OCTET STRING');
  if (!node.constructed) return node.content;
  const parts = children(node).map((c) => octets(c));
  return Buffer.concat(parts);
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function oid(node: Der | undefined): string {
  if (!isUniversal(node, TAG.OID) || node.constructed || node.content.length === 0) malformed('expected an OID');
  const bytes = node.content;
  if (bytes.length > 64) malformed('OID too long');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) malformed('OID arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const firstArc = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(firstArc, value - firstArc * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === bytes.length - 1) {
      malformed('OID truncated');
    }
  }
  return arcs.join('.');
}

/** A non-negative INTEGER as a bigint. */
export function unsignedInteger(node: Der | undefined): bigint {
  if (!isUniversal(node, TAG.INTEGER) || node.constructed || node.content.length === 0) malformed('expected an INTEGER');
  const bytes = node.content;
  if (bytes[0]! & 0x80) malformed('negative INTEGER');
  if (bytes.length > 64) malformed('INTEGER too large');
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** An INTEGER that must fit in a safe JavaScript number. */
export function smallInteger(node: Der | undefined): number {
  const value = unsignedInteger(node);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) malformed('INTEGER too large');
  return Number(value);
}
