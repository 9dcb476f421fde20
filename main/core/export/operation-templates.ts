/**
 * An API's operations as a production gateway's routes: grouped by path template (the methods of one path
 * together), ordered most specific first as CertGate's gateway matches (literal, then mixed, then parameter,
 * then wildcard segments, the first segment that differs deciding), each path as a regular expression.
 */
import { parseTemplate, type ParsedTemplate } from '../gateway/route-table';
import type { ExportApi, ExportOperation } from './types';

/** The operations that share one path template, by method. */
export interface TemplateGroup {
  /** The path after the API's prefix as a regular expression (unanchored), one trailing slash allowed. */
  readonly path: string;
  readonly rank: readonly number[];
  readonly operations: ExportOperation[];
}

/** A segment's rank in the gateway's order: literal, mixed, parameter; a trailing wildcard after all. */
const RANK = { literal: 0, pattern: 1, param: 2, wildcard: 3 } as const;

/** The API's operations grouped by path, most specific first; what the target gateway cannot tell apart is warned about. */
export function templateGroups(api: ExportApi, warnings: string[], gateway: string): TemplateGroup[] {
  const groups = new Map<string, TemplateGroup>();
  for (const op of api.operations) {
    const parsed = parseTemplate(op.urlTemplate);
    if (typeof parsed === 'string') continue;
    const label = `The operation "${op.id}" of "${api.id}"`;
    if (parsed.query.length > 0) pushOnce(warnings, `${label}: ${gateway} matches its path and method; the query part of ${op.urlTemplate} is not checked.`);
    const path = pathRegex(parsed);
    const group = groups.get(path) ?? { path, rank: rankOf(parsed), operations: [] };
    if (group.operations.some((o) => o.method === op.method)) {
      pushOnce(warnings, `${label}: another operation answers ${op.method} on the same path (they differ in the query part only); ${gateway} sends those calls to the first.`);
      continue;
    }
    group.operations.push(op);
    groups.set(path, group);
  }
  return [...groups.values()].sort((a, b) => compareRanks(a.rank, b.rank));
}

/** The regular expression of a template's path (after the API's prefix), one trailing slash allowed. */
function pathRegex(parsed: ParsedTemplate): string {
  const parts = parsed.segments.map((s) => {
    if (s.kind === 'literal') return `/${regexEscape(s.value)}`;
    if (s.kind === 'param') return '/[^/]+';
    // The gateway's own expression over one segment: its lazy "any" may not cross a "/" here.
    return `/${s.source.replace(/^\^|\$$/g, '').replace(/\(\.\+\?\)/g, '([^/]+?)')}`;
  });
  if (parsed.wildcard) return `${parts.join('')}(?:/.*)?`;
  return parts.length === 0 ? '/?' : `${parts.join('')}/?`;
}

function rankOf(parsed: ParsedTemplate): number[] {
  return [...parsed.segments.map((s) => RANK[s.kind]), ...(parsed.wildcard ? [RANK.wildcard] : [])];
}

/** Most specific first: the first segment that differs decides; a template that ends there comes before longer ones with a wildcard. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** A regular expression matching `text` literally. */
export function regexEscape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function pushOnce(list: string[], message: string): void {
  if (!list.includes(message)) list.push(message);
}
