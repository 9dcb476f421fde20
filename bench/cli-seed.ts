/**
 * A data folder for the CLI cold-start bench: 50 client certificates (copies of one real upload's metadata,
 * with distinct ids and thumbprints) and 10 APIs using some of them. Keys go to an in-memory secret store:
 * listing never reads the vault. Run: `node --import tsx bench/cli-seed.ts DIR` (bench/cli-bench.mjs does).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../main/core/app/core';
import { MemorySecretStore } from '../main/core/vault/secret-store';

const CERTIFICATES = 50;
const APIS = 10;

async function seed(dataDir: string): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'certgate-cli-seed-'));
  try {
    const key = path.join(work, 'k.pem');
    const crt = path.join(work, 'c.pem');
    const pfx = path.join(work, 'c.pfx');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-noenc', '-keyout', key, '-out', crt, '-days', '90', '-subj', '/CN=bench-client/O=CertGate bench/OU=Payments platform'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', pfx, '-passout', 'pass:bench'], { stdio: 'ignore' });
    const core = await openCore({ dataDir, secretStore: new MemorySecretStore() });
    if (!core.ok) throw new Error(core.error.message);
    const uploaded = await core.value.operations['certificates.upload']({ data: (await readFile(pfx)).toString('base64'), password: 'bench' });
    if (!uploaded.ok) throw new Error(uploaded.error.message);
    await core.value.flush();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const file = path.join(dataDir, 'certgate.json');
  const store = JSON.parse(await readFile(file, 'utf8')) as { certificates: Record<string, unknown>[]; apis: unknown[] };
  const template = store.certificates[0] ?? {};
  store.certificates = Array.from({ length: CERTIFICATES }, (_, i) => ({ ...template, id: `client-${i}`, thumbprint: (i + 1).toString(16).toUpperCase().padStart(40, 'A') }));
  store.apis = Array.from({ length: APIS }, (_, i) => ({
    id: `api-${i}`, displayName: `API ${i}`, path: `api-${i}`, serviceUrl: 'https://localhost:9443', description: '',
    backendTls: { validateCertificateChain: true, validateCertificateName: true, trustedCaCertificateIds: [] },
    createdAt: '', updatedAt: '',
    policyXml: `<policies>\n    <inbound>\n        <base />\n        <authentication-certificate certificate-id="client-${i}" />\n    </inbound>\n</policies>\n`,
  }));
  await writeFile(file, JSON.stringify(store));
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node --import tsx bench/cli-seed.ts DATA_DIR');
  process.exit(2);
}
await seed(path.resolve(dir));
