/**
 * nginx for an API with operations: a location per operation, as CertGate's gateway matches them. Each URL
 * template becomes a regular-expression location (nginx tries them in order, so they are written most specific
 * first: literal, then mixed, then parameter, then wildcard segments); it hands the call by method to an internal
 * location per operation, which presents that operation's client certificate (its own upstream where the
 * certificate differs from the API's: nginx reuses upstream connections, and a connection carries the certificate
 * it was opened with). A call that matches no operation is answered 404 `no-operation`, as the gateway does.
 */
import { identifier } from './names';
import { locationBody, oneLine, upstreamBlock, type ApiTarget, type Context } from './nginx';
import { regexEscape, templateGroups, type TemplateGroup } from './operation-templates';
import type { ExportOperation } from './types';

/** The upstreams and locations of an API with operations. */
export function operationBlocks(ctx: Context, at: ApiTarget): { upstreams: string[]; locations: string[] } {
  const upstreams: string[] = [];
  const locations: string[] = [];
  const groups = templateGroups(at.api, ctx.warnings, 'nginx');
  const internal: string[] = [];
  for (const [i, op] of at.api.operations.entries()) {
    if (!groups.some((g) => g.operations.includes(op))) continue;
    const built = operationLocation(ctx, at, op, i);
    if (built.upstream && !upstreams.includes(built.upstream)) upstreams.push(built.upstream);
    internal.push(built.location);
  }
  for (const group of groups) locations.push(groupLocation(ctx, at, group));
  locations.push(...fallbackLocations(ctx, at), ...internal);
  return { upstreams, locations };
}

/** The internal path prefix an operation's calls are handed to (never reachable from outside: `internal`). */
function internalPrefix(at: ApiTarget, op: ExportOperation): string {
  const index = at.api.operations.indexOf(op);
  return `/.certgate/${identifier(at.api.id)}/${index}-${identifier(op.id)}`;
}

/** The location matching one path template: hands the call to its operation by method, or answers no-operation. */
function groupLocation(ctx: Context, at: ApiTarget, group: TemplateGroup): string {
  const lines = [`location ~* ${regexArgument(`^${regexEscape(at.prefix)}${group.path}$`)} {`];
  const exact = group.operations.filter((o) => o.method !== '*');
  const any = group.operations.find((o) => o.method === '*');
  for (const op of exact) {
    lines.push(`    if ($request_method = ${op.method}) {`, `        rewrite ^ ${internalPrefix(at, op)}$uri last;`, '    }');
  }
  if (any) lines.push(`    rewrite ^ ${internalPrefix(at, any)}$uri last;`);
  else lines.push(...noOperation(ctx, at).map((l) => `    ${l}`));
  lines.push('}');
  return lines.join('\n');
}

/** Under the API's path, what no template matches. */
function fallbackLocations(ctx: Context, at: ApiTarget): string[] {
  const body = noOperation(ctx, at).map((l) => `    ${l}`);
  const block = (match: string): string => [`location ${match} {`, ...body, '}'].join('\n');
  return at.prefix === '' ? [block('/')] : [block(ctx.text.plain(`${at.prefix}/`)), block(`= ${ctx.text.plain(at.prefix)}`)];
}

function noOperation(ctx: Context, at: ApiTarget): string[] {
  const body = JSON.stringify({ error: { code: 'no-operation', message: `No operation of the API "${oneLine(at.api.id)}" answers this call.`, api: at.api.id } });
  return ['default_type application/json;', `return 404 ${ctx.text.quote(body)};`];
}

/** An operation's internal location, and the upstream it needs when its certificate is not the API's. */
function operationLocation(ctx: Context, at: ApiTarget, op: ExportOperation, index: number): { location: string; upstream: string | null } {
  const { api, target } = at;
  const ownCertificate = op.credential.type === 'certificate' ? op.credential.certificateId : null;
  const apiCertificate = api.credential.type === 'certificate' ? api.credential.certificateId : null;
  const upstream = ownCertificate !== null && ownCertificate !== apiCertificate ? `${at.name}__${identifier(ownCertificate)}` : null;
  const prefix = internalPrefix(at, op);
  const base = at.base.replace(/\/+$/, '');
  const body = locationBody(ctx, at, { label: `The operation "${op.id}" of "${api.id}"`, ...op }, `${at.stem}.${index}-${identifier(op.id)}`);
  const lines = [
    `# operation "${oneLine(op.id)}" (${oneLine(op.displayName)}): ${op.method} ${oneLine(op.urlTemplate)}`,
    `location ^~ ${ctx.text.plain(`${prefix}/`)} {`,
    '    internal;',
    // Case-insensitive, as the location that handed the call over.
    `    rewrite ${regexArgument(`(?i)^${regexEscape(prefix + at.prefix)}/?(.*)$`)} ${ctx.text.plain(`${base}/`)}$1 break;`,
    `    proxy_pass ${target.https ? 'https' : 'http'}://${upstream ?? at.name};`,
    ...body.map((d) => `    ${d}`),
    '}',
  ];
  return { location: lines.join('\n'), upstream: upstream ? upstreamBlock(upstream, target) : null };
}

/** A regular expression as an nginx argument: bare when it can be, else double-quoted. */
function regexArgument(regex: string): string {
  return /^[A-Za-z0-9_./\\^$?*+()[\]|:~%-]+$/.test(regex) ? regex : `"${regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
