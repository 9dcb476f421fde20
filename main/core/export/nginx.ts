/**
 * nginx: `certgate.conf`, to include in the `http {}` block of nginx.conf. One `upstream` per API
 * (keep-alive connections to its back end) and one `server` with a location per API that presents the
 * API's client certificate (`proxy_ssl_certificate`), checks the back end as the API says, and applies its
 * set-header statements. Certificate, key and CA files sit next to it and are referenced by absolute path
 * (nginx resolves relative paths against its own prefix, not the including file).
 */
import path from 'node:path';
import { backendTarget, publicPath, tlsWarnings, type BackendTarget } from './backend';
import { foldHeaderActions } from './headers';
import { fileStem, identifier } from './names';
import { DOLLAR_GEO, NginxText } from './nginx-syntax';
import { operationBlocks } from './nginx-operations';
import type { ExportApi, ExportCredential, ExportModel, PlannedFile, RenderedExport } from './types';

/** Where the preview assumes the files are installed (an export written to a folder uses that folder). */
export const NGINX_PREVIEW_DIR = '/etc/nginx/certgate';

/** The address the exported server listens on; operators change it in certgate.conf. */
export const NGINX_LISTEN = '127.0.0.1:8080';

/** The system CA bundle on Debian and Ubuntu (Alpine too); RHEL and Fedora use /etc/pki/tls/certs/ca-bundle.crt. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const VERIFY_DEPTH = 4;
const KEEPALIVE = 16;

/** What the nginx export needs besides the model. */
export interface NginxOptions {
  /** The absolute folder the files are in, for the paths written into certgate.conf. */
  readonly baseDir: string;
}

export interface Context {
  readonly model: ExportModel;
  readonly text: NginxText;
  readonly files: PlannedFile[];
  readonly warnings: string[];
  /** An absolute path in the export folder, with '/' separators (nginx on Windows accepts them too). */
  readonly abs: (relative: string) => string;
}

function certificateFiles(ctx: Context, certificateId: string): { crt: string; key: string } {
  const cert = ctx.model.certificates.get(certificateId);
  const stem = fileStem(certificateId);
  const crt = `certs/${stem}.crt`;
  const key = `keys/${stem}.key`;
  if (cert && !ctx.files.some((f) => f.path === crt)) {
    ctx.files.push({ path: crt, content: cert.chainPem, secret: false });
    ctx.files.push({ path: key, content: cert.keyPem, secret: true });
    if (cert.keyPem === null) {
      ctx.warnings.push(`The private key of the certificate "${certificateId}" (…${cert.thumbprint.slice(-4)}) is not exported: put it in ${ctx.abs(key)} (PEM, mode 0600), or export with keys.`);
    }
  }
  return { crt, key };
}

function tlsDirectives(ctx: Context, api: ExportApi, target: BackendTarget, stem: string, credential: ExportCredential): string[] {
  if (!target.https) return [];
  const { text } = ctx;
  const out = [
    `proxy_ssl_server_name on;`,
    `proxy_ssl_name ${text.plain(target.hostname)};`,
    `proxy_ssl_protocols TLSv1.2 TLSv1.3;`,
    `proxy_ssl_session_reuse on;`,
    `proxy_ssl_verify ${api.validateCertificateChain ? 'on' : 'off'};`,
  ];
  if (api.caIds.length > 0) {
    const bundle = `ca/${stem}.crt`;
    const pems = api.caIds.map((id) => ctx.model.caCertificates.get(id)?.pem.trim() ?? '').filter(Boolean);
    if (!ctx.files.some((f) => f.path === bundle)) ctx.files.push({ path: bundle, content: `${pems.join('\n')}\n`, secret: false });
    out.push(`proxy_ssl_trusted_certificate ${text.plain(ctx.abs(bundle))};`);
  } else if (api.validateCertificateChain) {
    out.push(`proxy_ssl_trusted_certificate ${text.plain(SYSTEM_CA_BUNDLE)};`);
    pushOnce(ctx.warnings,
      `The API "${api.id}" trusts no CA of its own: nginx verifies its back end with the system bundle ${SYSTEM_CA_BUNDLE} (on RHEL and Fedora: /etc/pki/tls/certs/ca-bundle.crt).`,
    );
  }
  if (api.validateCertificateChain) out.push(`proxy_ssl_verify_depth ${VERIFY_DEPTH};`);
  if (credential.type === 'certificate' && ctx.model.certificates.has(credential.certificateId)) {
    const files = certificateFiles(ctx, credential.certificateId);
    out.push(`proxy_ssl_certificate ${text.plain(ctx.abs(files.crt))};`, `proxy_ssl_certificate_key ${text.plain(ctx.abs(files.key))};`);
  }
  return out;
}

/** The Authorization header for Basic authentication: in its own secret file, included by the location. */
function basicAuthDirective(ctx: Context, scope: Scope, stem: string): string | null {
  if (scope.credential.type !== 'basic') return null;
  const { username, password } = scope.credential;
  const file = `secrets/${stem}-authorization.conf`;
  const content =
    password === null
      ? null
      : `proxy_set_header Authorization "Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}";\n`;
  if (ctx.files.some((f) => f.path === file)) return `include ${ctx.text.plain(ctx.abs(file))};`;
  ctx.files.push({ path: file, content, secret: true });
  if (password === null) {
    ctx.warnings.push(
      `${scope.label} uses Basic authentication as "${username}": put proxy_set_header Authorization "Basic <base64 of ${username}:password>"; in ${ctx.abs(file)} (mode 0600), or export with keys.`,
    );
  }
  return `include ${ctx.text.plain(ctx.abs(file))};`;
}

/** What one location runs: the API's composed policy, or an operation's. */
export interface Scope {
  /** `The API "orders"` or `The operation "refund" of "orders"`, for warnings. */
  readonly label: string;
  readonly credential: ExportCredential;
  readonly inboundHeaders: ExportApi['inboundHeaders'];
  readonly outboundHeaders: ExportApi['outboundHeaders'];
}

/** An API's back end as the locations see it. */
export interface ApiTarget {
  readonly api: ExportApi;
  readonly target: BackendTarget;
  readonly stem: string;
  /** The API's own upstream name (`certgate_orders`). */
  readonly name: string;
  /** The service URL's path, '$' escaped. */
  readonly base: string;
  /** The public prefix nginx matches (decoded), '' for the empty suffix. */
  readonly prefix: string;
}

/** The directives of a location for one scope (headers, TLS, credential), after `proxy_pass`. */
export function locationBody(ctx: Context, at: ApiTarget, scope: Scope, stem: string): string[] {
  const { text } = ctx;
  const { api, target } = at;
  const warn = (message: string): void => pushOnce(ctx.warnings, `${scope.label}: ${message}.`);
  const managed = new Map<string, string>([
    ['host', `proxy_set_header Host ${text.quote(target.hostHeader)};`],
    ['x-forwarded-for', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;'],
    ['x-forwarded-proto', 'proxy_set_header X-Forwarded-Proto $scheme;'],
    ['x-forwarded-host', 'proxy_set_header X-Forwarded-Host $http_host;'],
  ]);
  const auth = basicAuthDirective(ctx, scope, stem);
  if (auth !== null) managed.set('authorization', auth);
  return [
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    ...text.requestHeaders(identifier(api.id), foldHeaderActions(scope.inboundHeaders), managed, warn),
    ...tlsDirectives(ctx, api, target, at.stem, scope.credential),
    ...text.responseHeaders(identifier(api.id), foldHeaderActions(scope.outboundHeaders), warn),
  ];
}

/** An upstream block: keep-alive connections to the back end (one per client certificate: nginx reuses them across requests). */
export function upstreamBlock(name: string, target: BackendTarget): string {
  return [`upstream ${name} {`, `    server ${target.urlHost}:${target.port};`, `    keepalive ${KEEPALIVE};`, '}'].join('\n');
}

function apiBlocks(ctx: Context, api: ExportApi): { upstreams: string[]; locations: string[] } {
  const target = backendTarget(api.serviceUrl);
  ctx.warnings.push(...tlsWarnings(api, target, 'nginx'));
  const at: ApiTarget = {
    api,
    target,
    stem: fileStem(api.id),
    name: `certgate_${identifier(api.id)}`,
    base: target.basePath.replace(/\$/g, '%24'),
    prefix: api.path === '' ? '' : decodedPath(publicPath(api)),
  };
  const comment = `# API "${oneLine(api.id)}" (${oneLine(api.displayName)}): ${publicPath(api)} -> ${oneLine(api.serviceUrl)}`;
  if (api.operations.length > 0) {
    const blocks = operationBlocks(ctx, at);
    return { upstreams: [upstreamBlock(at.name, target), ...blocks.upstreams], locations: [comment, ...blocks.locations] };
  }
  const { text } = ctx;
  const body = locationBody(ctx, at, { label: `The API "${api.id}"`, ...api }, at.stem);
  const upstreamUrl = (suffix: string): string => `${target.https ? 'https' : 'http'}://${at.name}${suffix}`;
  const location = (match: string, pass: string): string =>
    [`location ${match} {`, `    proxy_pass ${text.quote(upstreamUrl(pass))};`, ...body.map((d) => `    ${d}`), '}'].join('\n');
  const slashed = at.base.endsWith('/') ? at.base : `${at.base}/`;
  const locations =
    api.path === ''
      ? [comment, location(text.plain('/'), slashed)]
      : [comment, location(text.plain(`${at.prefix}/`), slashed), location(`= ${text.plain(at.prefix)}`, at.base)];
  return { upstreams: [upstreamBlock(at.name, target)], locations };
}

/** Add a message unless it is already there (several locations of one API say the same thing). */
export function pushOnce(list: string[], message: string): void {
  if (!list.includes(message)) list.push(message);
}

/** nginx matches locations against the decoded path. */
export function decodedPath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

export function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((l) => (l === '' ? l : `    ${l}`))
    .join('\n');
}

/** Render the nginx export: certgate.conf, certificate chains, keys (with keys), CA bundles, Basic credentials. */
export function nginxExport(model: ExportModel, options: NginxOptions): RenderedExport {
  const baseDir = options.baseDir.replace(/\\/g, '/');
  const ctx: Context = {
    model,
    text: new NginxText(),
    files: [],
    warnings: [],
    abs: (relative) => path.posix.join(baseDir, relative),
  };
  const blocks = model.apis.map((api) => apiBlocks(ctx, api));
  if (model.apis.length === 0) ctx.warnings.push('There are no APIs to export: the server answers 404 to everything.');
  const http = [...(ctx.text.usesDollar ? [DOLLAR_GEO] : []), ...blocks.flatMap((b) => b.upstreams), ...ctx.text.maps];
  const server = ['server {', `    listen ${NGINX_LISTEN};`, '', ...blocks.flatMap((b) => [indent(b.locations.join('\n')), '']), '}'];
  const conf = [
    '# nginx configuration exported by CertGate: include it inside the http {} block of nginx.conf.',
    `# Files are referenced from ${baseDir}; keys (keys/, secrets/) must be mode 0600 and readable by nginx's master process.`,
    '',
    ...http.flatMap((b) => [b, '']),
    ...server,
    '',
  ].join('\n');
  return { files: [{ path: 'certgate.conf', content: conf, secret: false }, ...ctx.files], warnings: ctx.warnings };
}
