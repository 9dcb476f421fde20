/**
 * A small YAML emitter for configuration documents: block mappings and sequences, every string in
 * JSON-style double quotes (valid YAML 1.1 and 1.2, so no value is ever read as a number, a boolean or a
 * date), numbers, booleans and null. Enough for Kong's declarative configuration; no anchors, no tags.
 */

/** A value the emitter writes. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A double-quoted scalar. JSON's escapes are a subset of YAML's; characters YAML 1.1 reads as line breaks
 * (U+0085, U+2028, U+2029) or does not allow unescaped (DEL, C1 controls, BOM) are escaped too.
 */
function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return value ? 'true' : 'false';
}

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : yamlString(name);
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function isEmpty(value: YamlValue): boolean {
  if (isScalar(value)) return false;
  return Array.isArray(value) ? value.length === 0 : Object.values(value).every((v) => v === undefined);
}

function emptyForm(value: YamlValue): string {
  return Array.isArray(value) ? '[]' : '{}';
}

function lines(value: YamlValue, indent: string, out: string[]): void {
  if (isScalar(value) || isEmpty(value)) {
    out.push(`${indent}${isScalar(value) ? scalar(value) : emptyForm(value)}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      if (isScalar(item) || isEmpty(item)) {
        out.push(`${indent}- ${isScalar(item) ? scalar(item) : emptyForm(item)}`);
        continue;
      }
      // A nested block: its first line follows "- ", the rest is indented under it.
      const nested: string[] = [];
      lines(item, `${indent}  `, nested);
      out.push(`${indent}- ${(nested[0] ?? '').slice(indent.length + 2)}`, ...nested.slice(1));
    }
    return;
  }
  for (const [name, v] of Object.entries(value as { readonly [key: string]: YamlValue | undefined })) {
    if (v === undefined) continue;
    if (isScalar(v) || isEmpty(v)) {
      out.push(`${indent}${key(name)}: ${isScalar(v) ? scalar(v) : emptyForm(v)}`);
    } else {
      out.push(`${indent}${key(name)}:`);
      lines(v, `${indent}  `, out);
    }
  }
}

/** A YAML document for a value (a mapping at the top, usually), ending with a line break. */
export function toYaml(value: YamlValue, header: readonly string[] = []): string {
  const out: string[] = header.map((h) => `# ${h}`);
  lines(value, '', out);
  return `${out.join('\n')}\n`;
}
