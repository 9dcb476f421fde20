/**
 * Operation matching, as the cloud service does it: an API's operations (method + URL template) compiled once
 * per configuration into a segment trie, and one walk of that trie per call. No regular expression is built or
 * run per call. Pure functions over strings.
 *
 * Rules:
 * - A template is `/seg/{param}/seg` with an optional query part `?name={value}&flag`; `{*name}` (or `*`) as the
 *   last segment matches any number of remaining segments, the empty rest included. A segment may mix text and
 *   parameters (`{name}.{format}`, as OpenAPI paths do): its regular expression is compiled with the table.
 * - The most specific template wins: segment by segment, a literal beats a mixed segment, which beats a
 *   parameter, which beats a wildcard
 *   (the first segment that differs decides); then an exact method beats `*`; then a template whose query part
 *   names more parameters (all present in the call) beats one naming fewer.
 * - Literal segments compare case-insensitively after percent-decoding (`/caf%C3%A9` is `/café`); an encoded
 *   slash (`%2F`) stays inside its segment. One trailing slash is ignored (`/orders/` is `/orders`).
 */

/** The parts of an operation the table needs. */
export interface OperationTemplate {
  /** Upper-case method, or `*` for any. */
  readonly method: string;
  readonly urlTemplate: string;
}

interface Candidate<O> {
  readonly operation: O;
  /** Query parameter names the template requires (lower-case). */
  readonly query: readonly string[];
}

interface TrieNode<O> {
  readonly literals: Map<string, TrieNode<O>>;
  /** Mixed segments (`{name}.json`), longest literal text first. */
  readonly patterns: { readonly source: string; readonly regex: RegExp; readonly literalLength: number; readonly node: TrieNode<O> }[];
  param: TrieNode<O> | null;
  /** Operations whose template ends with a wildcard here, by method. */
  wildcard: Map<string, Candidate<O>[]> | null;
  /** Operations whose template ends exactly here, by method (`*` included). */
  ends: Map<string, Candidate<O>[]> | null;
}

/** An API's compiled operations. */
export interface OperationTable<O> {
  readonly root: TrieNode<O>;
  readonly size: number;
}

/** A template split into what matching needs, or why it is not a valid template. */
export interface ParsedTemplate {
  readonly segments: readonly (
    | { readonly kind: 'literal'; readonly value: string }
    | { readonly kind: 'param'; readonly name: string }
    /** Text and parameters in one segment; `source` is its anchored regular expression over the decoded, lower-cased segment. */
    | { readonly kind: 'pattern'; readonly source: string; readonly literalLength: number }
  )[];
  readonly wildcard: boolean;
  readonly query: readonly string[];
}

const PARAM = /^\{([A-Za-z0-9_.-]{1,100})\}$/;
const WILDCARD = /^(?:\*|\{\*[A-Za-z0-9_.-]{0,100}\})$/;

/**
 * Read a URL template: `/a/{b}/c?x={y}&z`. Returns a problem message for what the table cannot match: no leading
 * slash, `{` or `}` outside a whole-segment parameter, a parameter named twice, a wildcard not last, `#`.
 */
export function parseTemplate(template: string): ParsedTemplate | string {
  if (!template.startsWith('/')) return 'A URL template starts with "/".';
  if (template.includes('#')) return 'A URL template may not contain "#".';
  const q = template.indexOf('?');
  const pathPart = trimSlash(q === -1 ? template : template.slice(0, q));
  const names = new Set<string>();
  const segments: ParsedTemplate['segments'][number][] = [];
  let wildcard = false;
  const raw = pathPart === '/' ? [] : pathPart.slice(1).split('/');
  for (const [i, seg] of raw.entries()) {
    if (WILDCARD.test(seg)) {
      if (i !== raw.length - 1) return `The wildcard "${seg}" may only be the last segment of a URL template.`;
      wildcard = true;
      continue;
    }
    const param = PARAM.exec(seg);
    if (param) {
      const name = (param[1] ?? '').toLowerCase();
      if (names.has(name)) return `The template parameter "{${param[1] ?? ''}}" appears twice.`;
      names.add(name);
      segments.push({ kind: 'param', name: param[1] ?? '' });
      continue;
    }
    if (seg.includes('{') || seg.includes('}')) {
      const pattern = mixedSegment(seg, names);
      if (typeof pattern === 'string') return pattern;
      segments.push(pattern);
      continue;
    }
    if (seg === '') return 'A URL template may not have an empty segment ("//").';
    segments.push({ kind: 'literal', value: segmentKey(seg) });
  }
  const query: string[] = [];
  if (q !== -1) {
    for (const pair of template.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = segmentKey(eq === -1 ? pair : pair.slice(0, eq));
      if (name === '' || name.includes('{')) return `The query part "${pair}" needs a parameter name.`;
      if (!query.includes(name)) query.push(name);
    }
  }
  return { segments, wildcard, query };
}

/** Compile operations into a table; templates that do not parse are left out (validation refuses them earlier). */
export function compileOperations<O extends OperationTemplate>(operations: readonly O[]): OperationTable<O> {
  const root = newNode<O>();
  let size = 0;
  for (const operation of operations) {
    const parsed = parseTemplate(operation.urlTemplate);
    if (typeof parsed === 'string') continue;
    let node = root;
    for (const seg of parsed.segments) {
      if (seg.kind === 'param') node = node.param ??= newNode<O>();
      else if (seg.kind === 'pattern') {
        let entry = node.patterns.find((p) => p.source === seg.source);
        if (!entry) {
          entry = { source: seg.source, regex: new RegExp(seg.source, 'u'), literalLength: seg.literalLength, node: newNode<O>() };
          node.patterns.push(entry);
          node.patterns.sort((a, b) => b.literalLength - a.literalLength);
        }
        node = entry.node;
      } else {
        let next = node.literals.get(seg.value);
        if (!next) node.literals.set(seg.value, (next = newNode<O>()));
        node = next;
      }
    }
    const byMethod: Map<string, Candidate<O>[]> = parsed.wildcard ? (node.wildcard ??= new Map()) : (node.ends ??= new Map());
    const method = operation.method.toUpperCase();
    const list = byMethod.get(method) ?? [];
    list.push({ operation, query: parsed.query });
    // More query parameters first: the more specific template is tried first.
    list.sort((a, b) => b.query.length - a.query.length);
    byMethod.set(method, list);
    size += 1;
  }
  return { root, size };
}

/**
 * The operation for a call: `method` as sent, `rest` the path under the API (starting with '/' or '', query
 * included). Null when no operation matches.
 */
export function matchOperation<O>(table: OperationTable<O>, method: string, rest: string): O | null {
  const q = rest.indexOf('?');
  const path = trimSlash(q === -1 ? rest : rest.slice(0, q));
  const segments = path === '/' || path === '' ? [] : path.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) segments[i] = segmentKey(segments[i] as string);
  const query = q === -1 ? null : rest.slice(q + 1);
  return walk(table.root, segments, 0, method, query);
}

function walk<O>(node: TrieNode<O>, segments: readonly string[], index: number, method: string, query: string | null): O | null {
  if (index === segments.length) {
    const found = pick(node.ends, method, query);
    if (found !== null) return found;
  } else {
    const literal = node.literals.get(segments[index] as string);
    if (literal) {
      const found = walk(literal, segments, index + 1, method, query);
      if (found !== null) return found;
    }
    for (const pattern of node.patterns) {
      if (!pattern.regex.test(segments[index] as string)) continue;
      const found = walk(pattern.node, segments, index + 1, method, query);
      if (found !== null) return found;
    }
    // A parameter matches one non-empty segment.
    if (node.param && segments[index] !== '') {
      const found = walk(node.param, segments, index + 1, method, query);
      if (found !== null) return found;
    }
  }
  return pick(node.wildcard, method, query);
}

function pick<O>(byMethod: Map<string, Candidate<O>[]> | null, method: string, query: string | null): O | null {
  if (byMethod === null) return null;
  const exact = byMethod.get(method) ?? (method.charCodeAt(0) >= 97 ? byMethod.get(method.toUpperCase()) : undefined);
  const found = exact ? first(exact, query) : null;
  if (found !== null) return found;
  const any = byMethod.get('*');
  return any ? first(any, query) : null;
}

function first<O>(candidates: readonly Candidate<O>[], query: string | null): O | null {
  for (const candidate of candidates) {
    if (candidate.query.length === 0 || hasQueryNames(query, candidate.query)) return candidate.operation;
  }
  return null;
}

function hasQueryNames(query: string | null, names: readonly string[]): boolean {
  if (query === null) return false;
  const present = new Set(query.split('&').map((pair) => segmentKey(pair.split('=', 1)[0] ?? '')));
  return names.every((n) => present.has(n));
}

/** A segment as matching compares it: percent-decoded (when valid) and lower-cased. */
function segmentKey(segment: string): string {
  if (segment.indexOf('%') !== -1) {
    try {
      // An encoded slash must not look like a segment boundary: keep it encoded.
      segment = decodeURIComponent(segment.replace(/%2f/gi, '%252F'));
    } catch {
      // Not valid percent-encoding: compared as written.
    }
  }
  return segment.toLowerCase();
}

/** A segment mixing text and parameters (`{name}.{format}`), or why it is not one. */
function mixedSegment(seg: string, names: Set<string>): ParsedTemplate['segments'][number] | string {
  let source = '^';
  let literalLength = 0;
  const parts = seg.split(/(\{[^{}]*\})/);
  let lastWasParam = false;
  for (const part of parts) {
    if (part === '') continue;
    const param = PARAM.exec(part);
    if (param) {
      if (lastWasParam) return `The segment "${seg}" has two parameters with nothing between them.`;
      const name = (param[1] ?? '').toLowerCase();
      if (names.has(name)) return `The template parameter "{${param[1] ?? ''}}" appears twice.`;
      names.add(name);
      source += '(.+?)';
      lastWasParam = true;
      continue;
    }
    if (part.includes('{') || part.includes('}')) return `The segment "${seg}" has a "{" or "}" that is not a parameter like "{id}".`;
    const text = segmentKey(part);
    source += text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    literalLength += text.length;
    lastWasParam = false;
  }
  return { kind: 'pattern', source: `${source}$`, literalLength };
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function newNode<O>(): TrieNode<O> {
  return { literals: new Map(), patterns: [], param: null, wildcard: null, ends: null };
}
