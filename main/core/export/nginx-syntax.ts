/**
 * nginx configuration text: quoting, and a policy's headers as `proxy_set_header`, `proxy_hide_header`
 * and `add_header` directives, with `map` blocks for headers whose value depends on what came in.
 */
import type { HeaderOutcome } from './headers';

/** The variable that expands to a literal "$": nginx strings have no escape for it (see `DOLLAR_GEO`). */
const DOLLAR_VARIABLE = '${certgate_dollar}';

/** Defines `$certgate_dollar` as "$" (geo values are not parsed for variables). */
export const DOLLAR_GEO = 'geo $certgate_dollar {\n    default "$";\n}';

/** Builds directives and collects what they need at the http level (maps, the dollar variable). */
export class NginxText {
  /** `map` blocks for the http level. */
  readonly maps: string[] = [];
  #usesDollar = false;
  #mapCount = 0;

  /** Whether a string used "$" (then `DOLLAR_GEO` must be emitted at the http level). */
  get usesDollar(): boolean {
    return this.#usesDollar;
  }

  /** The inside of a double-quoted string for a literal text. */
  #literal(text: string): string {
    const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    if (!escaped.includes('$')) return escaped;
    this.#usesDollar = true;
    return escaped.replace(/\$/g, DOLLAR_VARIABLE);
  }

  /** A literal text as one double-quoted argument of a directive that expands variables (header values). */
  quote(text: string): string {
    return `"${this.#literal(text)}"`;
  }

  /** An argument of a directive that does not expand variables (paths, locations, names): bare when plain, else quoted. */
  plain(text: string): string {
    return /^[A-Za-z0-9_./:@%+=,~-]+$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }

  /**
   * A variable whose value is `absent` (a literal) when `source` is empty, else `source` followed by
   * `, suffix` (when there is a suffix). Returns the variable's name with its "$".
   */
  #map(prefix: string, source: string, absent: string, suffix: string): string {
    this.#mapCount += 1;
    const variable = `$certgate_${prefix}_${this.#mapCount}`;
    const present = suffix === '' ? `"\${${source}}"` : `"\${${source}}, ${this.#literal(suffix)}"`;
    this.maps.push(`map $${source} ${variable} {\n    "" ${this.quote(absent)};\n    default ${present};\n}`);
    return variable;
  }

  /**
   * Directives for request headers (`proxy_set_header`). `managed` holds the gateway's own directive per
   * lower-case name (Host, X-Forwarded-*, Authorization): a policy's override or delete replaces it, its
   * skip changes nothing (the header is always set), its append is not exported (a warning says so).
   */
  requestHeaders(prefix: string, outcomes: readonly HeaderOutcome[], managed: Map<string, string>, warn: (message: string) => void): string[] {
    const out: string[] = [];
    for (const o of outcomes) {
      const name = this.#headerName(o.name, warn);
      if (name === null) continue;
      if (managed.has(o.lower)) {
        if (o.kind === 'fixed') managed.set(o.lower, `proxy_set_header ${name} ${this.quote(o.values.join(', '))};`);
        else if (o.appended.length > 0) warn(`appending to ${o.name} is not exported (nginx sets that header itself)`);
        continue;
      }
      if (o.kind === 'fixed') {
        out.push(`proxy_set_header ${name} ${this.quote(o.values.join(', '))};`);
        continue;
      }
      const source = variableSource('http_', o.lower);
      if (source === null) {
        warn(`${o.name} depends on the incoming header, which nginx cannot read by that name: it is left out`);
        continue;
      }
      out.push(`proxy_set_header ${name} ${this.#map(prefix, source, [...o.ifAbsent, ...o.appended].join(', '), o.appended.join(', '))};`);
    }
    return [...managed.values(), ...out];
  }

  /** Directives for response headers: the back end's header hidden, then the outcome added (always). */
  responseHeaders(prefix: string, outcomes: readonly HeaderOutcome[], warn: (message: string) => void): string[] {
    const out: string[] = [];
    for (const o of outcomes) {
      const name = this.#headerName(o.name, warn);
      if (name === null) continue;
      if (o.kind === 'fixed') {
        out.push(`proxy_hide_header ${name};`);
        if (o.values.length > 0) out.push(`add_header ${name} ${this.quote(o.values.join(', '))} always;`);
        continue;
      }
      const source = variableSource('upstream_http_', o.lower);
      if (source === null) {
        warn(`the response header ${o.name} depends on the back end's, which nginx cannot read by that name: it is left out`);
        continue;
      }
      const variable = this.#map(prefix, source, [...o.ifAbsent, ...o.appended].join(', '), o.appended.join(', '));
      out.push(`proxy_hide_header ${name};`, `add_header ${name} ${variable} always;`);
    }
    return out;
  }

  #headerName(name: string, warn: (message: string) => void): string | null {
    if (name.includes('$')) {
      warn(`the header name ${name} contains "$", which nginx would read as a variable: it is left out`);
      return null;
    }
    return this.plain(name);
  }
}

/** nginx's variable for a header (`http_x_api_key`), or null when the name has characters it cannot map. */
function variableSource(prefix: string, lower: string): string | null {
  return /^[a-z0-9-]+$/.test(lower) ? `${prefix}${lower.replace(/-/g, '_')}` : null;
}
