import { readFile } from 'node:fs/promises';
import type { Api, Diagnosis, OperationInput, Security } from '../../../preload/contract';
import { flag, list, parseCommand, str, type Parsed } from '../args';
import type { Backend } from '../backend';
import { callAndPrint, commandContext, help, usage, withBackend, type CommandContext } from '../context';
import { EXIT_FAILED, EXIT_OK, printError, printResult, table, thumbprintForPeople, type Io } from '../output';
import { readPasswordFromStdin } from '../password';
import { printable, type TextStyle } from '../text';

/** Help for `certgate api`. */
export const API_HELP = `Usage: certgate api <command> [options]

  create --name NAME --path PATH --service-url URL [--id ID] [--description TEXT]
         [--no-validate-chain] [--no-validate-name] [--ca FILE]...
  list | show ID | delete ID
  update ID [--name NAME] [--path PATH] [--service-url URL] [--description TEXT]
         [--validate-chain | --no-validate-chain] [--validate-name | --no-validate-name] [--ca FILE]...
  security ID                                   show how the gateway authenticates to the back end
  security ID --none | --basic USER --password-stdin | --certificate CERT_ID
  import FILE --path PATH [--id ID] [--service-url URL] [--preview]
         create or update an API and its operations from an OpenAPI 3.0/3.1 file (JSON or YAML);
         operations the file no longer has are removed (--preview lists them and changes nothing)
  diagnose ID [--operation OP_ID] [--certificate CERT_ID] [--timeout SECONDS]
         check the back end as the gateway calls it: DNS, TCP, TLS, client certificate, one GET.
         Changes nothing. --operation diagnoses one operation's route (its own certificate, when its
         policy sets one); --certificate tries another uploaded certificate; default timeout 10 s.
         Exit 0 when no problem is found, 1 when one is

All take --json and --data-dir DIR. --ca uploads a PEM CA certificate (if new) and trusts it for the API.`;

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  path: { type: 'string' },
  'service-url': { type: 'string' },
  description: { type: 'string' },
  'validate-chain': { type: 'boolean' },
  'no-validate-chain': { type: 'boolean' },
  'validate-name': { type: 'boolean' },
  'no-validate-name': { type: 'boolean' },
  ca: { type: 'string', multiple: true },
  none: { type: 'boolean' },
  basic: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  certificate: { type: 'string' },
  timeout: { type: 'string' },
  operation: { type: 'string' },
  preview: { type: 'boolean' },
} as const;

/** `certgate api …` */
export async function apiCommand(io: Io, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommand(rest, OPTIONS);
  if (!parsed.ok) return usage({ io, json: rest.includes('--json') }, parsed.message, API_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, API_HELP);
  const [id, ...extra] = ctx.parsed.positionals;
  if (extra.length > 0) return usage(ctx, `Unexpected argument "${extra[0]}".`, API_HELP);
  switch (sub) {
    case 'list':
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'apis.list', {}, listForPeople));
    case 'show':
      if (!id) return usage(ctx, 'api show needs an ID.', API_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'apis.get', { id }, apiForPeople));
    case 'delete':
      if (!id) return usage(ctx, 'api delete needs an ID.', API_HELP);
      return withBackend(ctx, (b) => callAndPrint(ctx, b, 'apis.delete', { id }, () => `Deleted the API "${id}". Its certificates are kept.`));
    case 'create': {
      const name = str(ctx.parsed, 'name');
      const path = str(ctx.parsed, 'path');
      const serviceUrl = str(ctx.parsed, 'service-url');
      if (name === undefined || path === undefined || serviceUrl === undefined) {
        return usage(ctx, 'api create needs --name, --path and --service-url.', API_HELP);
      }
      return withBackend(ctx, async (b) => {
        const cas = await uploadCas(ctx, b);
        if (typeof cas === 'number') return cas;
        const input: OperationInput<'apis.create'> = {
          ...(str(ctx.parsed, 'id') !== undefined ? { id: str(ctx.parsed, 'id') } : {}),
          displayName: name,
          path,
          serviceUrl,
          ...(str(ctx.parsed, 'description') !== undefined ? { description: str(ctx.parsed, 'description') } : {}),
          backendTls: { ...tlsFlags(ctx.parsed), ...(cas.length > 0 ? { trustedCaCertificateIds: cas } : {}) },
        };
        return callAndPrint(ctx, b, 'apis.create', input, (api) => `Created the API "${api.id}".\n\n${apiForPeople(api)}`);
      });
    }
    case 'update': {
      if (!id) return usage(ctx, 'api update needs an ID.', API_HELP);
      return withBackend(ctx, async (b) => {
        const cas = await uploadCas(ctx, b);
        if (typeof cas === 'number') return cas;
        let trusted: string[] | undefined;
        if (cas.length > 0) {
          const current = await b.call('apis.get', { id });
          if (!current.ok) return printError(io, ctx.json, current.error);
          trusted = [...new Set([...current.value.backendTls.trustedCaCertificateIds, ...cas])];
        }
        const input: OperationInput<'apis.update'> = {
          id,
          ...(str(ctx.parsed, 'name') !== undefined ? { displayName: str(ctx.parsed, 'name') } : {}),
          ...(str(ctx.parsed, 'path') !== undefined ? { path: str(ctx.parsed, 'path') } : {}),
          ...(str(ctx.parsed, 'service-url') !== undefined ? { serviceUrl: str(ctx.parsed, 'service-url') } : {}),
          ...(str(ctx.parsed, 'description') !== undefined ? { description: str(ctx.parsed, 'description') } : {}),
          backendTls: { ...tlsFlags(ctx.parsed), ...(trusted ? { trustedCaCertificateIds: trusted } : {}) },
        };
        return callAndPrint(ctx, b, 'apis.update', input, (api) => `Updated the API "${api.id}".\n\n${apiForPeople(api)}`);
      });
    }
    case 'security':
      if (!id) return usage(ctx, 'api security needs an ID.', API_HELP);
      return security(ctx, id);
    case 'diagnose':
      if (!id) return usage(ctx, 'api diagnose needs an ID.', API_HELP);
      return diagnose(ctx, id);
    case 'import':
      if (!id) return usage(ctx, 'api import needs a FILE.', API_HELP);
      return importOpenApi(ctx, id);
    default:
      return usage(ctx, sub ? `Unknown api command "${sub}".` : 'Which api command?', API_HELP);
  }
}

async function security(ctx: CommandContext, apiId: string): Promise<number> {
  const none = flag(ctx.parsed, 'none');
  const basic = str(ctx.parsed, 'basic');
  const certificate = str(ctx.parsed, 'certificate');
  const chosen = [none, basic !== undefined, certificate !== undefined].filter(Boolean).length;
  if (chosen > 1) return usage(ctx, 'Choose one of --none, --basic USER or --certificate CERT_ID.', API_HELP);
  if (chosen === 0) return withBackend(ctx, (b) => callAndPrint(ctx, b, 'security.get', { apiId }, securityForPeople));
  let input: OperationInput<'security.set'>['security'];
  if (basic !== undefined) {
    if (!flag(ctx.parsed, 'password-stdin')) return usage(ctx, '--basic needs --password-stdin: the password never comes from the command line.', API_HELP);
    input = { type: 'basic', username: basic, password: await readPasswordFromStdin(ctx.io) };
  } else if (certificate !== undefined) {
    input = { type: 'certificate', certificateId: certificate };
  } else {
    input = { type: 'none' };
  }
  return withBackend(ctx, (b) =>
    callAndPrint(ctx, b, 'security.set', { apiId, security: input }, (s) => `Saved. ${securityForPeople(s)} The gateway uses it from the next call.`),
  );
}

async function diagnose(ctx: CommandContext, apiId: string): Promise<number> {
  const timeout = str(ctx.parsed, 'timeout');
  const seconds = timeout === undefined ? undefined : Number(timeout);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0.1 && seconds <= 60)) {
    return usage(ctx, `--timeout takes seconds, from 0.1 to 60 (got "${timeout}").`, API_HELP);
  }
  const certificateId = str(ctx.parsed, 'certificate');
  const operationId = str(ctx.parsed, 'operation');
  const input: OperationInput<'apis.diagnose'> = {
    id: apiId,
    ...(operationId !== undefined ? { operationId } : {}),
    ...(certificateId !== undefined ? { certificateId } : {}),
    ...(seconds !== undefined ? { timeoutMs: Math.round(seconds * 1000) } : {}),
  };
  return withBackend(ctx, async (b) => {
    const result = await b.call('apis.diagnose', input);
    if (!result.ok) return printError(ctx.io, ctx.json, result.error);
    printResult(ctx.io, ctx.json, result.value, () => diagnosisForPeople(result.value, ctx.style));
    return result.value.ok ? EXIT_OK : EXIT_FAILED;
  });
}

/** Each step with its time and outcome, the server's chain, then the problems with their fixes. */
function diagnosisForPeople(d: Diagnosis, style: TextStyle): string {
  const subject = d.operationId === undefined ? `"${d.apiId}"` : `"${d.apiId}", operation "${d.operationId}"`;
  const lines = [`Diagnosis of ${subject}: ${d.url}`, ''];
  const width = Math.max(...d.steps.map((s) => s.step.length));
  for (const s of d.steps) {
    lines.push(`  ${s.step.padEnd(width)}  ${s.outcome.padEnd(7)}  ${`${s.durationMs} ms`.padStart(8)}  ${s.detail}`);
  }
  if (d.tls && d.tls.serverChain.length > 0) {
    lines.push('', `Server certificate chain (${[d.tls.version, d.tls.cipher].filter(Boolean).join(', ')}):`);
    for (const c of d.tls.serverChain) {
      lines.push(`  ${printable(c.subject)}`, `      issued by ${printable(c.issuer)}; valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}; thumbprint ${thumbprintForPeople(c.thumbprint, style)}`);
      if (c.subjectAltNames.length > 0) lines.push(`      names ${printable(c.subjectAltNames.join(', '))}`);
    }
  }
  lines.push('');
  if (d.problems.length === 0) {
    lines.push('No problems found: the gateway can call this back end.');
  } else {
    lines.push(d.problems.length === 1 ? '1 problem:' : `${d.problems.length} problems:`);
    d.problems.forEach((p, i) => lines.push(`  ${i + 1}. ${p.message} (${p.code})`, `     Fix: ${p.fix}`));
  }
  return lines.join('\n');
}

function tlsFlags(parsed: Parsed): { validateCertificateChain?: boolean; validateCertificateName?: boolean } {
  const out: { validateCertificateChain?: boolean; validateCertificateName?: boolean } = {};
  if (flag(parsed, 'no-validate-chain')) out.validateCertificateChain = false;
  else if (flag(parsed, 'validate-chain')) out.validateCertificateChain = true;
  if (flag(parsed, 'no-validate-name')) out.validateCertificateName = false;
  else if (flag(parsed, 'validate-name')) out.validateCertificateName = true;
  return out;
}

/** Upload each --ca file's certificates (reusing ones already there); returns their ids or an exit code. */
async function uploadCas(ctx: CommandContext, b: Backend): Promise<string[] | number> {
  const ids: string[] = [];
  for (const file of list(ctx.parsed, 'ca')) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return printError(ctx.io, ctx.json, { code: 'not-found', message: `Cannot read the CA file ${file}.` });
    }
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [text];
    for (const pem of pems) {
      const uploaded = await b.call('caCertificates.upload', { pem });
      if (uploaded.ok) ids.push(uploaded.value.id);
      else if (uploaded.error.code === 'duplicate') ids.push(String((uploaded.error.details as { existingId?: string })?.existingId));
      else return printError(ctx.io, ctx.json, { ...uploaded.error, message: `${file}: ${uploaded.error.message}` });
    }
  }
  return ids;
}

function listForPeople(apis: readonly Api[]): string {
  if (apis.length === 0) return 'No APIs yet. Create one with: certgate api create --name NAME --path PATH --service-url URL';
  return table(['ID', 'NAME', 'PATH', 'WEB SERVICE URL'], apis.map((a) => [a.id, a.displayName, `/${a.path}`, a.serviceUrl]));
}

function apiForPeople(a: Api): string {
  const rows: [string, string][] = [
    ['Id', a.id],
    ['Name', a.displayName],
    ['URL suffix', `/${a.path}`],
    ['Web service URL', a.serviceUrl],
    ['Validate chain', a.backendTls.validateCertificateChain ? 'yes' : 'no'],
    ['Validate name', a.backendTls.validateCertificateName ? 'yes' : 'no'],
    ['Trusted CAs', a.backendTls.trustedCaCertificateIds.join(', ') || '-'],
  ];
  if (a.description) rows.push(['Description', a.description]);
  return rows.map(([k, v]) => `${k.padEnd(15)}  ${v}`).join('\n');
}

function securityForPeople(s: Security): string {
  switch (s.type) {
    case 'none':
      return 'With credentials: None.';
    case 'basic':
      return `With credentials: Basic, user "${s.username}".`;
    case 'certificate':
      return `With credentials: Mutual certificates, client certificate "${s.certificateId}".`;
  }
}

/** `api import FILE --path P [--id ID] [--service-url U] [--preview]`: the file is read here, sent whole. */
async function importOpenApi(ctx: CommandContext, file: string): Promise<number> {
  const path = str(ctx.parsed, 'path');
  if (path === undefined) return usage(ctx, 'api import needs --path (the API URL suffix).', API_HELP);
  let value: string;
  try {
    value = await readFile(file, 'utf8');
  } catch {
    return printError(ctx.io, ctx.json, { code: 'not-found', message: `Cannot read ${file}.` });
  }
  const preview = flag(ctx.parsed, 'preview');
  const input: OperationInput<'apis.import'> = {
    format: /\.json$/i.test(file) || value.trimStart().startsWith('{') ? 'openapi+json' : 'openapi',
    value,
    path,
    confirm: !preview,
    ...(str(ctx.parsed, 'id') !== undefined ? { id: str(ctx.parsed, 'id') } : {}),
    ...(str(ctx.parsed, 'service-url') !== undefined ? { serviceUrl: str(ctx.parsed, 'service-url') } : {}),
  };
  return withBackend(ctx, (b) =>
    callAndPrint(ctx, b, 'apis.import', input, (r) => {
      const verb = r.applied ? (r.apiCreated ? 'Created' : 'Updated') : r.apiCreated ? 'Would create' : 'Would update';
      const lines = [`${verb} the API "${r.apiId}" at /${r.path} -> ${r.serviceUrl}.`];
      lines.push(`  operations created: ${r.created.length}, updated: ${r.updated.length}, removed: ${r.removed.length}`);
      if (r.removed.length > 0) lines.push(`  removed: ${r.removed.join(', ')}`);
      if (!r.applied) lines.push('Nothing was changed (--preview).');
      return lines.join('\n');
    }),
  );
}
