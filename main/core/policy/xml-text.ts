/**
 * Character-level helpers for the policy XML parser: names, whitespace, entity decoding (the five
 * predefined entities and numeric references only: nothing is ever expanded from a declaration) and
 * offset-to-line/column conversion for messages.
 */

/** An XML name (ASCII plus the non-ASCII ranges, loosely): sticky, so it matches at `lastIndex` only. */
export const NAME = /[A-Za-z_:\u00C0-\uFFFD][A-Za-z0-9._:\u00B7\u00C0-\uFFFD-]*/y;

/** A character XML 1.0 does not allow anywhere in a document, or a lone surrogate. */
export const INVALID_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const REFERENCE = /&(?:#([0-9]{1,10})|#x([0-9A-Fa-f]{1,8})|([A-Za-z_:][A-Za-z0-9._:-]{0,63}));/y;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decoded character data, or where and why it is not well-formed. */
export type Decoded =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly offset: number; readonly message: string };

/** Whether a UTF-16 code unit is XML white space (space, tab, line feed, carriage return). */
function isXmlWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The first offset at or after `from` that is not XML white space (`source.length` if none). */
export function skipWhitespace(source: string, from: number): number {
  let i = from;
  while (i < source.length && isXmlWhitespace(source.charCodeAt(i))) i++;
  return i;
}

/** The first offset in [start, end) that is not XML white space, or -1. */
export function firstNonWhitespace(source: string, start: number, end: number): number {
  const i = skipWhitespace(source, start);
  return i < end ? i : -1;
}

/** Whether a string is only XML white space (or empty). */
export function isBlank(text: string): boolean {
  return firstNonWhitespace(text, 0, text.length) === -1;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function normalize(raw: string, mode: 'text' | 'attribute'): string {
  // XML end-of-line handling, and attribute-value normalisation of literal white space.
  return mode === 'text' ? raw.replace(/\r\n?/g, '\n') : raw.replace(/\r\n|[\r\n\t]/g, ' ');
}

/**
 * Decode the character data in `source[start, end)`: text content or an attribute value (without quotes).
 * Only `&lt; &gt; &amp; &quot; &apos;` and `&#…;`/`&#x…;` are decoded; any other reference is refused.
 */
export function decodeCharacterData(source: string, start: number, end: number, mode: 'text' | 'attribute'): Decoded {
  let out = '';
  let chunk = start;
  let i = start;
  while (i < end) {
    const code = source.charCodeAt(i);
    if (code === 0x26) {
      out += normalize(source.slice(chunk, i), mode);
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(source);
      if (!m || REFERENCE.lastIndex > end) {
        return { ok: false, offset: i, message: 'A "&" must be written "&amp;" (or start a reference such as "&lt;").' };
      }
      if (m[3] !== undefined) {
        const named = PREDEFINED[m[3]];
        if (named === undefined) {
          return {
            ok: false,
            offset: i,
            message: `The entity "&${m[3]};" is not defined: only &lt; &gt; &amp; &quot; &apos; and numeric character references are allowed.`,
          };
        }
        out += named;
      } else {
        const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
        if (!isXmlChar(cp)) return { ok: false, offset: i, message: `"${m[0]}" is not a character XML allows.` };
        out += String.fromCodePoint(cp);
      }
      i = REFERENCE.lastIndex;
      chunk = i;
      continue;
    }
    if (mode === 'attribute' && code === 0x3c) {
      return { ok: false, offset: i, message: 'A "<" in an attribute value must be written "&lt;".' };
    }
    if (mode === 'text' && code === 0x5d && source.startsWith(']]>', i)) {
      return { ok: false, offset: i, message: 'The text "]]>" must be written "]]&gt;".' };
    }
    i++;
  }
  return { ok: true, value: out + normalize(source.slice(chunk, end), mode) };
}

/** Normalise CDATA content (line ends only: nothing inside CDATA is decoded). */
export function cdataText(raw: string): string {
  return normalize(raw, 'text');
}

/** The 1-based line and column of an offset (a CR LF pair is one line break; a leading BOM is not counted). */
export function lineColumn(source: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stop = Math.min(offset, source.length);
  for (let i = 0; i < stop; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && source.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.max(1, offset - lineStart + 1) };
}
