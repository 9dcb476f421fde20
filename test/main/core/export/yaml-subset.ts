/**
 * A strict parser for the YAML subset CertGate's emitter writes (block mappings and sequences, JSON-style
 * double-quoted strings, numbers, booleans, null, `[]` and `{}`). Anything else throws, so a test notices
 * when the emitter writes something a real YAML parser might read differently.
 */

interface Line {
  indent: number;
  text: string;
  readonly number: number;
}

const PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;

function scalar(text: string, line: number): unknown {
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('"')) {
    const end = quotedEnd(text, 0);
    if (end !== text.length) throw new Error(`line ${line}: text after a quoted string: ${text}`);
    return JSON.parse(text) as string;
  }
  throw new Error(`line ${line}: not a scalar of the subset: ${text}`);
}

/** The index just after the closing quote of a string starting at `start`. */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error(`unterminated string: ${text}`);
}

/** A mapping entry's key and the rest of its line ('' when a block follows), or null. */
function entry(text: string): { key: string; rest: string } | null {
  const plain = PLAIN_KEY.exec(text);
  if (plain) return { key: plain[1] as string, rest: plain[2] ?? '' };
  if (!text.startsWith('"')) return null;
  const end = quotedEnd(text, 0);
  if (text[end] !== ':') return null;
  const rest = text.slice(end + 1);
  if (rest !== '' && !rest.startsWith(' ')) return null;
  return { key: JSON.parse(text.slice(0, end)) as string, rest: rest.trim() };
}

/** Parse a document of the subset. */
export function parseYamlSubset(source: string): unknown {
  if (source.includes('\t')) throw new Error('tabs are not YAML indentation');
  const lines: Line[] = source
    .split('\n')
    .map((raw, i) => ({ indent: raw.length - raw.trimStart().length, text: raw.trim(), number: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  let i = 0;

  function node(indent: number): unknown {
    const line = lines[i];
    if (!line || line.indent !== indent) throw new Error(`line ${line?.number ?? 'end'}: expected a block at indent ${indent}`);
    return line.text.startsWith('- ') ? sequence(indent) : mapping(indent);
  }

  function sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (i < lines.length && (lines[i] as Line).indent === indent && (lines[i] as Line).text.startsWith('- ')) {
      const line = lines[i] as Line;
      const rest = line.text.slice(2);
      if (rest.startsWith('- ') || entry(rest)) {
        // The item is a block whose first line shares the dash's line: re-read it at the item's indent.
        line.indent = indent + 2;
        line.text = rest;
        out.push(node(indent + 2));
      } else {
        out.push(scalar(rest, line.number));
        i++;
      }
    }
    return out;
  }

  function mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (i < lines.length && (lines[i] as Line).indent === indent && !(lines[i] as Line).text.startsWith('- ')) {
      const line = lines[i] as Line;
      const e = entry(line.text);
      if (!e) throw new Error(`line ${line.number}: not a mapping entry: ${line.text}`);
      if (Object.prototype.hasOwnProperty.call(out, e.key)) throw new Error(`line ${line.number}: duplicate key ${e.key}`);
      i++;
      if (e.rest !== '') {
        out[e.key] = scalar(e.rest, line.number);
        continue;
      }
      const next = lines[i];
      if (!next || next.indent <= indent) throw new Error(`line ${line.number}: ${e.key} has no value`);
      out[e.key] = node(next.indent);
    }
    return out;
  }

  const doc = node(0);
  if (i !== lines.length) throw new Error(`line ${(lines[i] as Line).number}: unexpected indentation`);
  return doc;
}
