/**
 * Bicep text: string literals and the declarations the API Management export writes.
 */

/** A Bicep single-quoted string literal ("$" escaped, so "${" is never read as interpolation). */
export function bicepString(value: string): string {
  const escaped = value.replace(/[\\'$\n\r\t]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

/** A parameter declaration, with its description; secure ones never show in deployment logs. */
export function bicepParam(name: string, description: string, secure: boolean): string {
  return [`@description(${bicepString(description)})`, ...(secure ? ['@secure()'] : []), `param ${name} string`, ''].join('\n');
}

/** A value in Bicep's object syntax: strings quoted, references (`{ ref: … }`) as they are. */
export type BicepValue = string | boolean | { readonly ref: string } | readonly BicepValue[] | { readonly [key: string]: BicepValue };

function isRef(value: BicepValue): value is { readonly ref: string } {
  return typeof value === 'object' && !Array.isArray(value) && typeof (value as { ref?: unknown }).ref === 'string';
}

/** A value's Bicep text, nested objects and arrays indented by `indent`. */
function bicepValue(value: BicepValue, indent = ''): string {
  if (typeof value === 'string') return bicepString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isRef(value)) return value.ref;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value as readonly BicepValue[];
    return items.length === 0 ? '[]' : `[\n${items.map((v) => `${inner}${bicepValue(v, inner)}`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: BicepValue });
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `${inner}${k}: ${bicepValue(v, inner)}`).join('\n')}\n${indent}}`;
}

/** A resource declaration. */
export function bicepResource(symbol: string, type: string, body: { readonly [key: string]: BicepValue }): string {
  return `resource ${symbol} '${type}' = ${bicepValue(body)}\n`;
}
