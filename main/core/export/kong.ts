/**
 * Kong: one declarative configuration (`kong.yaml`, `_format_version: "3.0"`) for DB-less Kong
 * (`KONG_DECLARATIVE_CONFIG`) or `deck gateway sync`. Each API is a service (its back end, client
 * certificate and TLS checks) with one route; set-header statements become request- and
 * response-transformer plugins. Entity ids are UUIDs derived from CertGate ids, so exports are stable.
 */
import { backendTarget, caProblem, publicPath, tlsWarnings } from './backend';
import { foldHeaderActions, type HeaderOutcome } from './headers';
import { entityId, envName, kongName } from './names';
import { regexEscape, templateGroups } from './operation-templates';
import type { ExportApi, ExportCertificate, ExportModel, RenderedExport } from './types';
import { toYaml, type YamlValue } from './yaml';

/** Kong checks the back end's chain at most this deep (root, intermediates, leaf). */
const VERIFY_DEPTH = 4;

const TAGS = ['certgate'];

/** The Kong environment-vault reference for a value the operator supplies, and its variable's name. */
function envReference(certificateId: string, what: 'cert' | 'key'): { readonly reference: string; readonly variable: string } {
  const name = `certgate-${envName(certificateId)}-${what}`;
  return { reference: `{vault://env/${name}}`, variable: name.toUpperCase().replace(/-/g, '_') };
}

function certificateEntity(cert: ExportCertificate, warnings: string[]): YamlValue {
  const chainRef = envReference(cert.id, 'cert');
  const keyRef = envReference(cert.id, 'key');
  if (cert.chainPem === null) {
    warnings.push(`The certificate "${cert.id}" refers to its chain as ${chainRef.reference}: set ${chainRef.variable} to the PEM chain for Kong.`);
  }
  if (cert.keyPem === null) {
    warnings.push(
      `The certificate "${cert.id}" (…${cert.thumbprint.slice(-4)}) refers to its private key as ${keyRef.reference}: set ${keyRef.variable} to the PEM key for Kong, or export with keys.`,
    );
  }
  return { id: entityId('certificate', cert.id), cert: cert.chainPem ?? chainRef.reference, key: cert.keyPem ?? keyRef.reference, tags: TAGS };
}

/** A transformer plugin's config (request or response) for the headers' outcomes; null when there is nothing to do. */
function transformerConfig(outcomes: readonly HeaderOutcome[]): { [key: string]: YamlValue } | null {
  const remove: string[] = [];
  const add: string[] = [];
  const append: string[] = [];
  // The plugins run remove, then add (only when absent), then append: see headers.ts for the two outcomes.
  for (const o of outcomes) {
    if (o.kind === 'fixed') {
      remove.push(o.name);
      for (const v of o.values) append.push(`${o.name}:${v}`);
    } else {
      if (o.ifAbsent.length > 0) add.push(`${o.name}:${o.ifAbsent.join(', ')}`);
      for (const v of o.appended) append.push(`${o.name}:${v}`);
    }
  }
  if (remove.length + add.length + append.length === 0) return null;
  const config: { [key: string]: YamlValue } = {};
  if (remove.length > 0) config['remove'] = { headers: remove };
  if (add.length > 0) config['add'] = { headers: add };
  if (append.length > 0) config['append'] = { headers: append };
  return config;
}

/** What one set of plugins applies: the API's composed policy, or an operation's. */
interface Scope {
  /** `The API "orders"` or `The operation "refund" of "orders"`. */
  readonly label: string;
  /** The CertGate ids the plugins' stable ids derive from. */
  readonly key: string;
  readonly credential: ExportApi['credential'];
  readonly inboundHeaders: ExportApi['inboundHeaders'];
  readonly outboundHeaders: ExportApi['outboundHeaders'];
}

function basicAuthorization(scope: Scope, warnings: string[]): Map<string, string[]> {
  const initial = new Map<string, string[]>();
  if (scope.credential.type !== 'basic') return initial;
  const { username, password } = scope.credential;
  if (password === null) {
    initial.set('Authorization', ['Basic CERTGATE-REPLACE-WITH-BASE64-OF-USER-COLON-PASSWORD']);
    warnings.push(
      `${scope.label} uses Basic authentication as "${username}": replace the placeholder in its request-transformer plugin with the base64 of "${username}:<password>", or export with keys.`,
    );
  } else {
    initial.set('Authorization', [`Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`]);
  }
  return initial;
}

/** The transformer plugins of a scope; `replaceUri` (an operation's route) rewrites the path sent to the back end. */
function plugins(scope: Scope, warnings: string[], replaceUri?: string): YamlValue[] {
  const out: YamlValue[] = [];
  const inbound = foldHeaderActions(scope.inboundHeaders, basicAuthorization(scope, warnings));
  const outbound = foldHeaderActions(scope.outboundHeaders);
  for (const [name, outcomes] of [
    ['request-transformer', inbound],
    ['response-transformer', outbound],
  ] as const) {
    const headers = transformerConfig(outcomes);
    if (headers !== null && JSON.stringify(headers).includes('$(')) {
      warnings.push(`${scope.label} sets a header value containing "$(": Kong's ${name} reads it as a template.`);
    }
    const config = name === 'request-transformer' && replaceUri !== undefined ? { ...headers, replace: { uri: replaceUri } } : headers;
    if (config === null) continue;
    out.push({ id: entityId(`plugin:${name}`, scope.key), name, config, tags: TAGS });
  }
  return out;
}

/** A service for an API's back end; `certificateId` (an operation's own certificate) makes it that certificate's service. */
function service(api: ExportApi, model: ExportModel, warnings: string[], certificateId?: string): YamlValue {
  const target = backendTarget(api.serviceUrl);
  const key = certificateId === undefined ? api.id : `${api.id}~${certificateId}`;
  if (certificateId === undefined) warnings.push(...tlsWarnings(api, target, 'Kong'));
  const entity: { [key: string]: YamlValue } = {
    id: entityId('service', key),
    name: kongName(key),
    url: api.serviceUrl,
    tags: TAGS,
  };
  const credential = certificateId === undefined ? api.credential : ({ type: 'certificate', certificateId } as const);
  if (target.https) {
    if (credential.type === 'certificate' && model.certificates.has(credential.certificateId)) {
      entity['client_certificate'] = entityId('certificate', credential.certificateId);
    }
    entity['tls_verify'] = api.validateCertificateChain;
    entity['tls_verify_depth'] = VERIFY_DEPTH;
    entity['ca_certificates'] = api.caIds.map((id) => entityId('ca-certificate', id));
    if (api.validateCertificateChain && api.caIds.length === 0) {
      warnings.push(`The API "${api.id}" trusts no CA of its own: Kong verifies its back end with Kong's global trusted CAs (lua_ssl_trusted_certificate).`);
    }
  }
  if (certificateId === undefined) {
    const list = plugins({ label: `The API "${api.id}"`, key: api.id, ...api }, warnings);
    if (list.length > 0) entity['plugins'] = list;
  }
  return entity;
}

/**
 * An API with operations: a regex route per operation (its methods; `regex_priority` most specific first, as the
 * gateway matches), on the API's service or, where its certificate differs, on a service of its own; the path sent
 * on is the service's path and the part after the API's prefix (request-transformer `replace.uri`, which also carries
 * the operation's headers: a route's plugin replaces the service's). A last route answers 404 `no-operation`.
 */
function operationRoutes(api: ExportApi, model: ExportModel, warnings: string[]): { services: YamlValue[]; routes: YamlValue[] } {
  const services: YamlValue[] = [];
  const routes: YamlValue[] = [];
  const groups = templateGroups(api, warnings, 'Kong');
  const prefix = api.path === '' ? '' : publicPath(api);
  const base = backendTarget(api.serviceUrl).basePath.replace(/\/+$/, '');
  const apiCertificate = api.credential.type === 'certificate' ? api.credential.certificateId : null;
  for (const [g, group] of groups.entries()) {
    for (const op of group.operations) {
      const key = `${api.id}/${op.id}`;
      const own = op.credential.type === 'certificate' && op.credential.certificateId !== apiCertificate ? op.credential.certificateId : null;
      const serviceKey = own === null ? api.id : `${api.id}~${own}`;
      if (own !== null && !services.some((s) => (s as { name: string }).name === kongName(serviceKey))) services.push(service(api, model, warnings, own));
      const scope: Scope = { label: `The operation "${op.id}" of "${api.id}"`, key, ...op };
      routes.push({
        id: entityId('route', key),
        name: kongName(key.replace('/', '.')),
        service: kongName(serviceKey),
        paths: [`~${regexEscape(prefix)}(?<certgate_rest>${group.path.replace(/\/\?$/, '')})/?$`],
        ...(op.method === '*' ? {} : { methods: [op.method] }),
        strip_path: false,
        regex_priority: groups.length - g,
        path_handling: 'v0',
        plugins: plugins(scope, warnings, `${base}$(uri_captures["certgate_rest"])`),
        tags: TAGS,
      });
    }
  }
  const body = JSON.stringify({ error: { code: 'no-operation', message: `No operation of the API "${api.id}" answers this call.`, api: api.id } });
  routes.push({
    id: entityId('route', `${api.id}/no-operation`),
    name: kongName(`${api.id}.no-operation`),
    service: kongName(api.id),
    paths: [`~${regexEscape(prefix)}(?:/.*)?$`],
    strip_path: false,
    regex_priority: 0,
    path_handling: 'v0',
    plugins: [{ id: entityId('plugin:request-termination', api.id), name: 'request-termination', config: { status_code: 404, content_type: 'application/json', body }, tags: TAGS }],
    tags: TAGS,
  });
  return { services, routes };
}

/** Render the Kong export: `kong.yaml`. It holds private keys (and is then secret) only in an export with keys. */
export function kongExport(model: ExportModel): RenderedExport {
  const warnings: string[] = [];
  const certificates = [...model.certificates.values()].map((c) => certificateEntity(c, warnings));
  const caCertificates = [...model.caCertificates.values()].map((ca) => {
    const problem = caProblem(ca, model.now);
    if (problem !== null) warnings.push(`Kong refuses the CA certificate "${ca.id}": ${problem}. Replace it before loading the configuration.`);
    return { id: entityId('ca-certificate', ca.id), cert: ca.pem, tags: TAGS };
  });
  const services: YamlValue[] = [];
  const routes: YamlValue[] = [];
  for (const api of model.apis) {
    services.push(service(api, model, warnings));
    if (api.operations.length === 0) {
      routes.push({ id: entityId('route', api.id), name: kongName(api.id), service: kongName(api.id), paths: [publicPath(api)], strip_path: true, path_handling: 'v0', tags: TAGS });
      continue;
    }
    const built = operationRoutes(api, model, warnings);
    services.push(...built.services);
    routes.push(...built.routes);
  }
  if (model.apis.length === 0) warnings.push('There are no APIs to export: the configuration is empty.');
  const doc: YamlValue = {
    _format_version: '3.0',
    certificates,
    ca_certificates: caCertificates,
    services,
    routes,
  };
  const hasPassword = (c: ExportApi['credential']): boolean => c.type === 'basic' && c.password !== null;
  const secret =
    [...model.certificates.values()].some((c) => c.keyPem !== null) || model.apis.some((a) => hasPassword(a.credential) || a.operations.some((o) => hasPassword(o.credential)));
  const header = [
    'Kong declarative configuration exported by CertGate.',
    secret ? 'It holds private keys or passwords: keep it secret (mode 0600), never commit it.' : 'It holds no private key: keys are referenced from environment variables.',
    'Load it with KONG_DECLARATIVE_CONFIG=kong.yaml (DB-less) or deck gateway sync kong.yaml.',
  ];
  return { files: [{ path: 'kong.yaml', content: toYaml(doc, header), secret }], warnings };
}
