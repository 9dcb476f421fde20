/**
 * Reading an OpenAPI 3.0/3.1 description (JSON or YAML) into what CertGate imports: a title, a service URL and
 * operations. Validation is @readme/openapi-parser's; we parse the text ourselves (bounded, no aliases bombs)
 * and refuse any `$ref` that points outside the document before the validator sees it, so nothing is ever
 * fetched or read from disk.
 */
import { fail, idSchema, ok, type Result } from '../../../preload/contract';
import { parseTemplate } from '../gateway/route-table';

/** An operation found in the document. */
export interface OpenApiOperation {
  readonly id: string;
  readonly displayName: string;
  readonly method: string;
  readonly urlTemplate: string;
  readonly description: string;
}

/** What an import takes from a document. */
export interface OpenApiContent {
  readonly title: string;
  readonly description: string;
  /** servers[0].url with its variables' defaults, or null when there is none or it is relative. */
  readonly serviceUrl: string | null;
  readonly operations: readonly OpenApiOperation[];
  readonly warnings: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ID_FORBIDDEN = /[*#&+:<>?/\\\u0000-\u001f\u007f]+/g;

/** Parse, check and validate a document; `format` says how to read the text. */
export async function readOpenApi(text: string, format: 'openapi+json' | 'openapi'): Promise<Result<OpenApiContent>> {
  const parsed = await parseText(text, format);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const version = typeof doc.openapi === 'string' ? doc.openapi : null;
  if (version === null || !/^3\.[01]\.\d+/.test(version)) {
    return fail('validation', `This is not an OpenAPI 3.0 or 3.1 document (${typeof doc.swagger === 'string' ? `Swagger ${doc.swagger}` : 'no "openapi" version'}): convert it to OpenAPI 3 first.`);
  }
  const external = firstExternalRef(doc);
  if (external !== null) {
    return fail('validation', `The document refers to "${external}" outside itself; CertGate reads no other file or URL. Bundle the description into one document first.`, {
      ref: external,
    });
  }
  const valid = await validateDocument(doc);
  if (!valid.ok) return valid;
  return extract(doc);
}

async function parseText(text: string, format: 'openapi+json' | 'openapi'): Promise<Result<Record<string, unknown>>> {
  let value: unknown;
  try {
    if (format === 'openapi+json') value = JSON.parse(text);
    else {
      const { parse } = await import('yaml');
      // Aliases are refused outright: a "billion laughs" document expands them exponentially.
      value = parse(text, { maxAliasCount: 0, uniqueKeys: false, strict: false });
    }
  } catch (err) {
    const what = format === 'openapi+json' ? 'JSON' : 'YAML';
    return fail('validation', `The document is not valid ${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('validation', 'The document is not an OpenAPI object.');
  return ok(value as Record<string, unknown>);
}

/** The first `$ref` that does not point inside the document (`#...`), or null. Iterative: deep documents are fine. */
function firstExternalRef(doc: unknown): string | null {
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return value;
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
  return null;
}

async function validateDocument(doc: Record<string, unknown>): Promise<Result<null>> {
  const { validate, compileErrors } = await import('@readme/openapi-parser');
  try {
    // The validator dereferences its argument in place: give it a copy.
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0], {
      resolve: { external: false, file: false },
      dereference: { circular: 'ignore' },
      timeoutMs: 60_000,
    });
    if (result.valid) return ok(null);
    const message = compileErrors(result);
    return fail('validation', `The OpenAPI document is not valid: ${message.slice(0, 4000)}`, { errors: result.errors.slice(0, 20).map((e) => e.message.slice(0, 1000)) });
  } catch (err) {
    return fail('validation', `The OpenAPI document is not valid: ${err instanceof Error ? err.message.slice(0, 4000) : String(err)}`);
  }
}

function extract(doc: Record<string, unknown>): Result<OpenApiContent> {
  const info = record(doc.info);
  const title = str(info.title).trim() || 'Imported API';
  const warnings: string[] = [];
  const leftOut: string[] = [];
  const renamed: string[] = [];
  const operations: OpenApiOperation[] = [];
  const taken = new Set<string>();
  const routes = new Map<string, string>();
  for (const [urlTemplate, item] of Object.entries(record(doc.paths))) {
    const pathItem = record(item);
    for (const method of METHODS) {
      const op = pathItem[method];
      if (typeof op !== 'object' || op === null) continue;
      const operation = record(op);
      const template = parseTemplate(urlTemplate);
      if (typeof template === 'string') {
        leftOut.push(`${method.toUpperCase()} ${urlTemplate} (${template})`);
        continue;
      }
      const key = `${method} /${template.segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? '{}' : s.source)).join('/')}`;
      const clash = routes.get(key);
      if (clash !== undefined) {
        return fail('validation', `The paths "${clash}" and "${urlTemplate}" are the same template for ${method.toUpperCase()}: the document is ambiguous.`);
      }
      routes.set(key, urlTemplate);
      const rawId = str(operation.operationId);
      const id = uniqueId(sanitiseId(rawId || `${method}-${urlTemplate}`), taken);
      if (rawId !== '' && id !== rawId) renamed.push(`"${rawId}" became "${id}"`);
      const summary = str(operation.summary).trim();
      operations.push({
        id,
        displayName: (summary || rawId || `${method.toUpperCase()} ${urlTemplate}`).slice(0, 300),
        method: method.toUpperCase(),
        urlTemplate,
        description: str(operation.description).slice(0, 4000),
      });
    }
  }
  warnings.push(...summarise(leftOut, 'operation was left out', 'operations were left out'));
  warnings.push(...summarise(renamed, 'operationId was changed to fit an id', 'operationIds were changed to fit ids'));
  return ok({ title: title.slice(0, 300), description: str(info.description).slice(0, 4000), serviceUrl: serverUrl(doc, warnings), operations, warnings });
}

/** Examples a summarised warning names; the rest are counted. */
export const WARNING_EXAMPLES = 3;

/**
 * One warning for many alike (GitHub's description renames 1,223 operationIds): the count and the first few
 * examples, so the list stays readable and the preview stays small.
 */
function summarise(items: readonly string[], one: string, many: string): string[] {
  if (items.length === 0) return [];
  if (items.length === 1) return [`1 ${one}: ${items[0]}.`];
  const shown = items.slice(0, WARNING_EXAMPLES).join('; ');
  const rest = items.length - WARNING_EXAMPLES;
  return [`${items.length.toLocaleString('en-US')} ${many}: ${shown}${rest > 0 ? `; and ${rest.toLocaleString('en-US')} more` : ''}.`];
}

function serverUrl(doc: Record<string, unknown>, warnings: string[]): string | null {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = record(servers[0]);
  let url = str(first.url);
  if (url === '') return null;
  const variables = record(first.variables);
  url = url.replace(/\{([^{}]+)\}/g, (_m, name: string) => str(record(variables[name]).default));
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    return url.replace(/\/+$/, '');
  } catch {
    warnings.push(`The document's server URL "${url}" is not an absolute http(s) URL: give the service URL.`);
    return null;
  }
}

/** An operationId made into a CertGate id: forbidden characters become "-", at most 80 characters. */
export function sanitiseId(raw: string): string {
  const cleaned = raw.replace(ID_FORBIDDEN, '-').replace(/-{2,}/g, '-').replace(/^[-\s]+|[-\s]+$/g, '').slice(0, 72);
  return idSchema.safeParse(cleaned).success ? cleaned : 'operation';
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
  taken.add(id.toLowerCase());
  return id;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
