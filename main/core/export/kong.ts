/**
 * Kong: one declarative configuration (`kong.yaml`, `_format_version: "3.0"`) for DB-less Kong
 * (`KONG_DECLARATIVE_CONFIG`) or `deck gateway sync`. Each API is a service (its back end, client
 * certificate and TLS checks) with one route; set-header statements become request- and
 * response-transformer plugins. Entity ids are UUIDs derived from CertGate ids, so exports are stable.
 */
import { backendTarget, caProblem, publicPath, tlsWarnings } from './backend';
import { foldHeaderActions, type HeaderOutcome } from './headers';
import { entityId, envName, kongName } from './names';
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

function basicAuthorization(api: ExportApi, warnings: string[]): Map<string, string[]> {
  const initial = new Map<string, string[]>();
  if (api.credential.type !== 'basic') return initial;
  const { username, password } = api.credential;
  if (password === null) {
    initial.set('Authorization', ['Basic CERTGATE-REPLACE-WITH-BASE64-OF-USER-COLON-PASSWORD']);
    warnings.push(
      `The API "${api.id}" uses Basic authentication as "${username}": replace the placeholder in its request-transformer plugin with the base64 of "${username}:<password>", or export with keys.`,
    );
  } else {
    initial.set('Authorization', [`Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`]);
  }
  return initial;
}

function plugins(api: ExportApi, warnings: string[]): YamlValue[] {
  const out: YamlValue[] = [];
  const inbound = foldHeaderActions(api.inboundHeaders, basicAuthorization(api, warnings));
  const outbound = foldHeaderActions(api.outboundHeaders);
  for (const [name, outcomes] of [
    ['request-transformer', inbound],
    ['response-transformer', outbound],
  ] as const) {
    const config = transformerConfig(outcomes);
    if (config === null) continue;
    if (JSON.stringify(config).includes('$(')) {
      warnings.push(`The API "${api.id}" sets a header value containing "$(": Kong's ${name} reads it as a template.`);
    }
    out.push({ id: entityId(`plugin:${name}`, api.id), name, config, tags: TAGS });
  }
  return out;
}

function service(api: ExportApi, model: ExportModel, warnings: string[]): YamlValue {
  const target = backendTarget(api.serviceUrl);
  warnings.push(...tlsWarnings(api, target, 'Kong'));
  const entity: { [key: string]: YamlValue } = {
    id: entityId('service', api.id),
    name: kongName(api.id),
    url: api.serviceUrl,
    tags: TAGS,
  };
  if (target.https) {
    if (api.credential.type === 'certificate' && model.certificates.has(api.credential.certificateId)) {
      entity['client_certificate'] = entityId('certificate', api.credential.certificateId);
    }
    entity['tls_verify'] = api.validateCertificateChain;
    entity['tls_verify_depth'] = VERIFY_DEPTH;
    entity['ca_certificates'] = api.caIds.map((id) => entityId('ca-certificate', id));
    if (api.validateCertificateChain && api.caIds.length === 0) {
      warnings.push(`The API "${api.id}" trusts no CA of its own: Kong verifies its back end with Kong's global trusted CAs (lua_ssl_trusted_certificate).`);
    }
  }
  const list = plugins(api, warnings);
  if (list.length > 0) entity['plugins'] = list;
  return entity;
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
  const services = model.apis.map((api) => service(api, model, warnings));
  const routes = model.apis.map((api) => ({
    id: entityId('route', api.id),
    name: kongName(api.id),
    service: kongName(api.id),
    paths: [publicPath(api)],
    strip_path: true,
    path_handling: 'v0',
    tags: TAGS,
  }));
  if (model.apis.length === 0) warnings.push('There are no APIs to export: the configuration is empty.');
  const doc: YamlValue = {
    _format_version: '3.0',
    certificates,
    ca_certificates: caCertificates,
    services,
    routes,
  };
  const secret = [...model.certificates.values()].some((c) => c.keyPem !== null) || model.apis.some((a) => a.credential.type === 'basic' && a.credential.password !== null);
  const header = [
    'Kong declarative configuration exported by CertGate.',
    secret ? 'It holds private keys or passwords: keep it secret (mode 0600), never commit it.' : 'It holds no private key: keys are referenced from environment variables.',
    'Load it with KONG_DECLARATIVE_CONFIG=kong.yaml (DB-less) or deck gateway sync kong.yaml.',
  ];
  return { files: [{ path: 'kong.yaml', content: toYaml(doc, header), secret }], warnings };
}
