/**
 * A small, strict, non-validating XML parser for policy documents. It keeps every node's offsets in the
 * source so that edits can splice the original text, and it refuses, before doing any work with them,
 * everything a policy never needs and an attacker would use: DOCTYPE and ENTITY declarations, processing
 * instructions, undefined entities, oversized input and deep nesting. It never reads anything external.
 * Iterative (no recursion) and linear in the input size.
 */
import { NAME, INVALID_CHARACTER, cdataText, decodeCharacterData, firstNonWhitespace, lineColumn, skipWhitespace } from './xml-text';

/** The largest policy accepted, in UTF-16 code units (the contract's 256 KiB). */
const MAX_POLICY_LENGTH = 256 * 1024;

/** The deepest element nesting accepted (a valid policy needs 4). */
const MAX_DEPTH = 32;

/** An attribute: decoded value; `start` is the offset of its name, `end` just after its closing quote. */
export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** An element with the offsets of its start tag, content and end tag. */
export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  /** Offset of `<`. */
  readonly start: number;
  /** Offset just after the start tag's `>` (or `/>`). */
  readonly openEnd: number;
  /** Offset of the end tag's `</` (equals `openEnd` when self-closing). */
  readonly closeStart: number;
  /** Offset just after the element. */
  readonly end: number;
  readonly selfClosing: boolean;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
}

/** Character data (decoded), from text or from a CDATA section. */
export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly cdata: boolean;
}

/** A comment (kept only as a span: edits never touch it). */
export interface XmlComment {
  readonly kind: 'comment';
  readonly start: number;
  readonly end: number;
}

/** A node inside an element. */
export type XmlNode = XmlElement | XmlText | XmlComment;

/** Why a document is not accepted: where (an offset) and what, naming the element when there is one. */
export interface XmlProblem {
  readonly offset: number;
  readonly message: string;
  readonly element?: string;
}

/** The root element of a well-formed document, or the first problem. */
export type XmlParseResult = { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly problem: XmlProblem };

interface OpenElement {
  readonly kind: 'element';
  readonly name: string;
  readonly start: number;
  readonly openEnd: number;
  closeStart: number;
  end: number;
  readonly selfClosing: boolean;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlNode[];
}

type Step = { readonly ok: true; readonly next: number } | { readonly ok: false; readonly problem: XmlProblem };

const XML_DECLARATION =
  /^<\?xml\s+version\s*=\s*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:\s+encoding\s*=\s*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*\?>$/;

function refuse(offset: number, message: string, element?: string): { readonly ok: false; readonly problem: XmlProblem } {
  return { ok: false, problem: element === undefined ? { offset, message } : { offset, message, element } };
}

function isDeclarationStart(source: string, at: number): boolean {
  if (!source.startsWith('<?xml', at)) return false;
  const next = source.charCodeAt(at + 5);
  return next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d || next === 0x3f;
}

/** The state of one parse: the source, the elements still open, and the root once it has started. */
interface Parser {
  readonly source: string;
  readonly stack: OpenElement[];
  root: OpenElement | null;
}

type Refusal = { readonly ok: false; readonly problem: XmlProblem };

/** Parse a policy document into elements with source offsets, or say where and why it is refused. */
export function parseXml(source: string): XmlParseResult {
  const refused = checkWhole(source);
  if (refused) return refused;
  const p: Parser = { source, stack: [], root: null };
  const start = afterDeclaration(source);
  if (!start.ok) return start;
  let pos = start.next;
  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos) {
      const step = text(p, pos, textEnd);
      if (!step.ok) return step;
    }
    if (lt === -1) break;
    const step = markup(p, lt);
    if (!step.ok) return step;
    pos = step.next;
  }
  const unclosed = p.stack.at(-1);
  if (unclosed) return refuse(unclosed.start, `<${unclosed.name}> is never closed: add </${unclosed.name}>.`, unclosed.name);
  if (!p.root) return refuse(0, 'The policy is empty: it needs a <policies> root element.');
  return { ok: true, root: p.root };
}

/** Refuse, before any parsing, a document over the size limit or holding a character XML does not allow. */
function checkWhole(source: string): Refusal | null {
  if (source.length > MAX_POLICY_LENGTH) {
    return refuse(0, `The policy is ${Math.ceil(source.length / 1024)} KiB; a policy may have at most 256 KiB.`);
  }
  const invalid = INVALID_CHARACTER.exec(source);
  if (invalid) {
    const code = invalid[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return refuse(invalid.index, `The policy contains the character U+${code}, which XML does not allow.`);
  }
  return null;
}

/** Where the content starts: after a byte order mark and a valid XML declaration, if any. */
function afterDeclaration(source: string): Step {
  const pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!isDeclarationStart(source, pos)) return { ok: true, next: pos };
  const close = source.indexOf('?>', pos);
  if (close === -1) return refuse(pos, 'The XML declaration is never closed with "?>".');
  if (!XML_DECLARATION.test(source.slice(pos, close + 2))) {
    return refuse(pos, 'The XML declaration is not valid: write <?xml version="1.0" encoding="utf-8"?> or leave it out.');
  }
  return { ok: true, next: close + 2 };
}

function text(p: Parser, start: number, end: number): Step {
  const parent = p.stack.at(-1);
  if (!parent) {
    const at = firstNonWhitespace(p.source, start, end);
    if (at === -1) return { ok: true, next: end };
    return p.root
      ? refuse(at, `Text after </${p.root.name}> is not allowed: the policy ends with its root element.`, p.root.name)
      : refuse(at, 'Text before the root element is not allowed: a policy starts with <policies>.');
  }
  const decoded = decodeCharacterData(p.source, start, end, 'text');
  if (!decoded.ok) return refuse(decoded.offset, decoded.message, parent.name);
  parent.children.push({ kind: 'text', text: decoded.value, start, end, cdata: false });
  return { ok: true, next: end };
}

function markup(p: Parser, lt: number): Step {
  const { source } = p;
  if (source.startsWith('<!--', lt)) return comment(p, lt);
  if (source.startsWith('<![CDATA[', lt)) return cdata(p, lt);
  if (source.startsWith('<!', lt)) return declaration(source, lt);
  if (source.startsWith('<?', lt)) {
    return isDeclarationStart(source, lt)
      ? refuse(lt, 'The XML declaration <?xml …?> is allowed only at the very start of the policy.')
      : refuse(lt, 'Processing instructions ("<?…?>") are not allowed in a policy.');
  }
  if (source.startsWith('</', lt)) return endTag(p, lt);
  return startTag(p, lt);
}

function comment(p: Parser, lt: number): Step {
  const close = p.source.indexOf('-->', lt + 4);
  if (close === -1) return refuse(lt, 'A comment is never closed with "-->".');
  const dashes = p.source.indexOf('--', lt + 4);
  if (dashes < close) return refuse(dashes, 'A comment may not contain "--".');
  p.stack.at(-1)?.children.push({ kind: 'comment', start: lt, end: close + 3 });
  return { ok: true, next: close + 3 };
}

function cdata(p: Parser, lt: number): Step {
  const parent = p.stack.at(-1);
  if (!parent) return refuse(lt, 'A CDATA section is allowed only inside <value>.');
  const close = p.source.indexOf(']]>', lt + 9);
  if (close === -1) return refuse(lt, 'A CDATA section is never closed with "]]>".', parent.name);
  parent.children.push({ kind: 'text', text: cdataText(p.source.slice(lt + 9, close)), start: lt, end: close + 3, cdata: true });
  return { ok: true, next: close + 3 };
}

function declaration(source: string, lt: number): Step {
  const head = source.slice(lt, lt + 10).toUpperCase();
  if (head.startsWith('<!DOCTYPE')) {
    return refuse(lt, 'A <!DOCTYPE> declaration is not allowed in a policy: it could define entities or read external files.', '!DOCTYPE');
  }
  if (head.startsWith('<!ENTITY')) {
    return refuse(lt, 'An <!ENTITY> declaration is not allowed in a policy: entities are never expanded.', '!ENTITY');
  }
  return refuse(lt, 'Markup declarations ("<!…>") are not allowed in a policy; only comments and CDATA in <value> are.');
}

function startTag(p: Parser, lt: number): Step {
  const { source, stack } = p;
  NAME.lastIndex = lt + 1;
  const name = NAME.exec(source)?.[0];
  const parent = stack.at(-1);
  if (name === undefined) return refuse(lt, 'A "<" that does not start an element must be written "&lt;".', parent?.name);
  if (p.root && !parent) return refuse(lt, `<${name}> comes after </${p.root.name}>: a policy has exactly one root element.`, name);
  if (stack.length >= MAX_DEPTH) return refuse(lt, `<${name}> is nested more than ${MAX_DEPTH} elements deep.`, name);
  const tag = readAttributes(source, lt, name);
  if (!tag.ok) return tag;
  const { attributes, selfClosing, next } = tag;
  const element: OpenElement = { kind: 'element', name, start: lt, openEnd: next, closeStart: next, end: next, selfClosing, attributes, children: [] };
  if (parent) parent.children.push(element);
  else p.root = element;
  if (!selfClosing) stack.push(element);
  return { ok: true, next };
}

type StartTag = { readonly ok: true; readonly attributes: XmlAttribute[]; readonly selfClosing: boolean; readonly next: number } | Refusal;

/** The attributes of the start tag `<name` at `lt`, up to and including its `>` or `/>`. */
function readAttributes(source: string, lt: number, name: string): StartTag {
  const attributes: XmlAttribute[] = [];
  const seen = new Set<string>();
  let i = lt + 1 + name.length;
  for (;;) {
    const before = i;
    i = skipWhitespace(source, i);
    if (i >= source.length) return refuse(lt, `The start tag <${name}> is never closed with ">".`, name);
    const c = source[i];
    if (c === '>') return { ok: true, attributes, selfClosing: false, next: i + 1 };
    if (c === '/' && source[i + 1] === '>') return { ok: true, attributes, selfClosing: true, next: i + 2 };
    NAME.lastIndex = i;
    const attr = NAME.exec(source)?.[0];
    if (attr === undefined) return refuse(i, `Unexpected "${c}" in <${name}>: expected an attribute, ">" or "/>".`, name);
    if (i === before) return refuse(i, `<${name}> needs white space before the attribute ${attr}.`, name);
    const read = readAttribute(source, i, attr, name);
    if (!read.ok) return read;
    if (seen.has(attr)) return refuse(i, `<${name}> has the attribute ${attr} twice.`, name);
    seen.add(attr);
    attributes.push(read.attribute);
    i = read.attribute.end;
  }
}

/** One `name="value"` starting at `attrStart`, its value decoded. */
function readAttribute(source: string, attrStart: number, attr: string, name: string): { readonly ok: true; readonly attribute: XmlAttribute } | Refusal {
  let i = skipWhitespace(source, attrStart + attr.length);
  if (source[i] !== '=') return refuse(attrStart, `The attribute ${attr} of <${name}> needs a value: ${attr}="…".`, name);
  i = skipWhitespace(source, i + 1);
  const quote = source[i];
  if (quote !== '"' && quote !== "'") return refuse(attrStart, `The value of ${attr} in <${name}> must be in quotes.`, name);
  const close = source.indexOf(quote, i + 1);
  if (close === -1) return refuse(attrStart, `The value of ${attr} in <${name}> is never closed with ${quote}.`, name);
  const decoded = decodeCharacterData(source, i + 1, close, 'attribute');
  if (!decoded.ok) return refuse(decoded.offset, decoded.message, name);
  return { ok: true, attribute: { name: attr, value: decoded.value, start: attrStart, end: close + 1 } };
}

function endTag(p: Parser, lt: number): Step {
  const { source, stack } = p;
  NAME.lastIndex = lt + 2;
  const name = NAME.exec(source)?.[0];
  if (name === undefined) return refuse(lt, '"</" must be followed by the name of the element it closes.', stack.at(-1)?.name);
  const gt = skipWhitespace(source, lt + 2 + name.length);
  if (source[gt] !== '>') return refuse(lt, `The end tag </${name}> is never closed with ">".`, name);
  const open = stack.pop();
  if (!open) return refuse(lt, `</${name}> has no matching <${name}>.`, name);
  if (open.name !== name) {
    const at = lineColumn(source, open.start);
    return refuse(lt, `</${name}> does not close <${open.name}> (line ${at.line}, column ${at.column}).`, name);
  }
  open.closeStart = lt;
  open.end = gt + 1;
  return { ok: true, next: gt + 1 };
}
