/**
 * Azure API Management: a Bicep template (`main.bicep`) for an existing service instance, declaring the
 * client certificates (PFX data from secure parameters: CertGate never stores the PFX), the named values
 * the policies refer to, the APIs and their policies (the policy XML as CertGate keeps it, in
 * `policies/<api>.xml`), plus `azuredeploy.parameters.json` to fill in. With keys, a PFX per certificate
 * is built here, with its random password in a separate file.
 */
import { namedValueReferences } from '../policy';
import { backendTarget } from './backend';
import { bicepParam, bicepResource, bicepString, type BicepValue } from './bicep';
import { fileStem, identifier } from './names';
import { buildPfx } from './pfx';
import type { ExportApi, ExportCertificate, ExportModel, ExportOperation, PlannedFile, RenderedExport } from './types';

const API_VERSION = '2022-08-01';
const TYPE = (child: string): string => `Microsoft.ApiManagement/service/${child}@${API_VERSION}`;

interface Parts {
  readonly params: string[];
  readonly resources: string[];
  readonly parameterNames: string[];
  readonly files: PlannedFile[];
  readonly warnings: string[];
}

function certificate(parts: Parts, cert: ExportCertificate): string {
  const symbol = `certificate_${identifier(cert.id)}`;
  const short = `"${cert.id}" (${cert.subject}, thumbprint …${cert.thumbprint.slice(-4)})`;
  parts.params.push(
    bicepParam(`${symbol}_pfx`, `The PFX file of the client certificate ${short}, base64.`, true),
    bicepParam(`${symbol}_password`, `The password of that PFX file.`, true),
  );
  parts.parameterNames.push(`${symbol}_pfx`, `${symbol}_password`);
  parts.resources.push(
    bicepResource(symbol, TYPE('certificates'), {
      parent: { ref: 'apim' },
      name: cert.id,
      properties: { data: { ref: `${symbol}_pfx` }, password: { ref: `${symbol}_password` } },
    }),
  );
  const stem = `certificates/${fileStem(cert.id)}`;
  if (cert.keyPem === null || cert.chainPem === null) {
    parts.warnings.push(`Supply the PFX of the certificate ${short} as ${symbol}_pfx (base64) and its password as ${symbol}_password.`);
    return symbol;
  }
  const built = buildPfx(cert.keyPem, cert.chainPem, cert.id);
  if (built.ok) {
    parts.files.push(
      { path: `${stem}.pfx`, content: built.value.pfx, secret: true },
      { path: `${stem}.pfx-password.txt`, content: `${built.value.password}\n`, secret: true },
    );
  } else {
    parts.files.push({ path: `${stem}.key`, content: cert.keyPem, secret: true }, { path: `${stem}.crt`, content: cert.chainPem, secret: false });
    parts.warnings.push(
      `The certificate ${short} could not be written as a PFX (${built.error.message}): build one with "openssl pkcs12 -export -inkey ${stem}.key -in ${stem}.crt -out ${stem}.pfx".`,
    );
  }
  return symbol;
}

function namedValue(parts: Parts, name: string, value: string | null): string {
  const symbol = `namedValue_${identifier(name)}`;
  parts.params.push(bicepParam(`${symbol}_value`, `The secret named value "${name}" (a back-end password).`, true));
  parts.parameterNames.push(`${symbol}_value`);
  parts.resources.push(
    bicepResource(symbol, TYPE('namedValues'), {
      parent: { ref: 'apim' },
      name,
      properties: { displayName: name, value: { ref: `${symbol}_value` }, secret: true },
    }),
  );
  if (value === null) parts.warnings.push(`Supply the secret named value "${name}" (a back-end password) as ${symbol}_value.`);
  else parts.files.push({ path: `named-values/${fileStem(name)}.txt`, content: `${value}\n`, secret: true });
  return symbol;
}

function api(parts: Parts, item: ExportApi, certificateSymbols: Map<string, string>, namedValueSymbols: Map<string, string>): void {
  const symbol = `api_${identifier(item.id)}`;
  const policyFile = `policies/${fileStem(item.id)}.xml`;
  parts.files.push({ path: policyFile, content: item.policyXml, secret: false });
  const properties: { [key: string]: BicepValue } = {
    displayName: item.displayName,
    path: item.path,
    serviceUrl: item.serviceUrl,
    protocols: ['https'],
    // CertGate's gateway asks callers for no subscription key; keep it that way.
    subscriptionRequired: false,
  };
  if (item.description !== '') properties['description'] = item.description;
  parts.resources.push(bicepResource(symbol, TYPE('apis'), { parent: { ref: 'apim' }, name: item.id, properties }));
  const dependsOn: BicepValue[] = [];
  if (item.credential.type === 'certificate') {
    const cert = certificateSymbols.get(item.credential.certificateId);
    if (cert) dependsOn.push({ ref: cert });
  }
  for (const name of namedValueReferences(item.policyXml)) {
    const nv = namedValueSymbols.get(name);
    if (nv) dependsOn.push({ ref: nv });
  }
  parts.resources.push(
    bicepResource(`${symbol}_policy`, TYPE('apis/policies'), {
      parent: { ref: symbol },
      name: 'policy',
      properties: { format: 'rawxml', value: { ref: `loadTextContent(${bicepString(policyFile)})` } },
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    }),
  );
  for (const op of item.operations) operation(parts, item, symbol, op, certificateSymbols);
  const target = backendTarget(item.serviceUrl);
  if (target.https && (!item.validateCertificateChain || !item.validateCertificateName)) {
    parts.warnings.push(
      `The API "${item.id}" does not check its back end's ${item.validateCertificateChain ? 'name' : item.validateCertificateName ? 'chain' : 'chain and name'}: API Management checks both for a service URL; to turn checks off, create a backend entity with tls settings and point the API at it with set-backend-service.`,
    );
  }
}

/** An operation (the cloud shape: method, URL template and its parameters) and its own policy, which presents its certificate. */
function operation(parts: Parts, item: ExportApi, apiSymbol: string, op: ExportOperation, certificateSymbols: Map<string, string>): void {
  const symbol = `${apiSymbol}_op_${identifier(op.id)}`;
  const policyFile = `policies/${fileStem(item.id)}/operations/${fileStem(op.id)}.xml`;
  parts.files.push({ path: policyFile, content: op.policyXml, secret: false });
  // API Management wants every {parameter} of the template declared.
  const names = [...op.urlTemplate.matchAll(/\{\*?([A-Za-z0-9_.-]+)\}/g)].map((m) => m[1] ?? '');
  const properties: { [key: string]: BicepValue } = {
    displayName: op.displayName,
    method: op.method,
    urlTemplate: op.urlTemplate,
    templateParameters: [...new Set(names)].map((name) => ({ name, type: 'string', required: true })),
  };
  if (op.description !== '') properties['description'] = op.description;
  parts.resources.push(bicepResource(symbol, TYPE('apis/operations'), { parent: { ref: apiSymbol }, name: op.id, properties }));
  const cert = op.credential.type === 'certificate' ? certificateSymbols.get(op.credential.certificateId) : undefined;
  parts.resources.push(
    bicepResource(`${symbol}_policy`, TYPE('apis/operations/policies'), {
      parent: { ref: symbol },
      name: 'policy',
      properties: { format: 'rawxml', value: { ref: `loadTextContent(${bicepString(policyFile)})` } },
      ...(cert ? { dependsOn: [{ ref: cert }] } : {}),
    }),
  );
}

/** The global policy ("All APIs") as the service's policy; deploying it replaces the instance's own. */
function globalPolicy(parts: Parts, xml: string, certificateSymbols: Map<string, string>): void {
  parts.files.push({ path: 'policies/global.xml', content: xml, secret: false });
  const dependsOn = [...certificateSymbols.values()].map((ref): BicepValue => ({ ref }));
  parts.resources.push(
    bicepResource('globalPolicy', TYPE('policies'), {
      parent: { ref: 'apim' },
      name: 'policy',
      properties: { format: 'rawxml', value: { ref: `loadTextContent(${bicepString('policies/global.xml')})` } },
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    }),
  );
  parts.warnings.push('The template sets the service-wide policy (All APIs) from policies/global.xml: it replaces the instance\'s own global policy.');
}

/** Render the API Management export: main.bicep, azuredeploy.parameters.json, policies, CA files, and with keys PFX files. */
export function apimExport(model: ExportModel): RenderedExport {
  const parts: Parts = { params: [], resources: [], parameterNames: ['apimName'], files: [], warnings: [] };
  const certificateSymbols = new Map<string, string>();
  for (const cert of model.certificates.values()) certificateSymbols.set(cert.id, certificate(parts, cert));
  const passwords = new Map<string, string | null>();
  for (const item of model.apis) {
    for (const xml of [item.policyXml, ...item.operations.map((o) => o.policyXml)]) {
      for (const name of namedValueReferences(xml)) if (!passwords.has(name)) passwords.set(name, null);
    }
    for (const o of item.operations) if (o.credential.type === 'basic' && o.credential.password !== null) passwords.set(o.credential.namedValue, o.credential.password);
    if (item.credential.type === 'basic' && item.credential.password !== null) passwords.set(item.credential.namedValue, item.credential.password);
  }
  const namedValueSymbols = new Map<string, string>();
  for (const [name, value] of passwords) namedValueSymbols.set(name, namedValue(parts, name, value));
  if (model.globalPolicyXml !== null) globalPolicy(parts, model.globalPolicyXml, certificateSymbols);
  for (const item of model.apis) api(parts, item, certificateSymbols, namedValueSymbols);
  for (const ca of model.caCertificates.values()) {
    const file = `ca/${fileStem(ca.id)}.cer`;
    parts.files.push({ path: file, content: ca.pem, secret: false });
    parts.warnings.push(`API Management trusts back-end CAs for the whole service: upload ${file} ("${ca.id}", ${ca.subject}) under Certificates → CA certificates (store Root).`);
  }
  if (model.apis.length === 0) parts.warnings.push('There are no APIs to export: the template declares no API.');
  const bicep = [
    '// Azure API Management resources exported by CertGate, for an existing service instance.',
    '// Deploy: az deployment group create -g <group> -f main.bicep -p @azuredeploy.parameters.json',
    '// Secure parameters (PFX files in base64, passwords) are best given on the command line, not in a file.',
    '',
    bicepParam('apimName', 'The name of the existing API Management instance.', false),
    ...parts.params,
    `resource apim 'Microsoft.ApiManagement/service@${API_VERSION}' existing = {\n  name: apimName\n}\n`,
    ...parts.resources,
  ].join('\n');
  const parameters = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
    contentVersion: '1.0.0.0',
    parameters: Object.fromEntries(parts.parameterNames.map((n) => [n, { value: '' }])),
  };
  return {
    files: [
      { path: 'main.bicep', content: bicep, secret: false },
      { path: 'azuredeploy.parameters.json', content: `${JSON.stringify(parameters, null, 2)}\n`, secret: false },
      ...parts.files,
    ],
    warnings: parts.warnings,
  };
}
