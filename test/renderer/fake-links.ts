/**
 * The fake client's linked certificates and export (issue 14), with the core's rules where the console shows
 * them: a linked file is read from `files` (the "serving machine"), its password kept; a sync of a changed
 * file raises the version and keeps the old one as `ID-vN`; a missing, wrong-password or unreadable file
 * changes nothing and becomes the certificate's sync error naming the APIs at risk. `files.pick` answers
 * `picked` (the desktop's dialog) or, by default, the browser's "type the path".
 */
import type { Certificate, CertificateSource, ErrorCode, Result } from '../../preload/contract';
import type { FakeClient, Handlers } from './fake-client';

type LinkHandlers = 'certificates.link' | 'certificates.unlink' | 'certificates.sync' | 'certificates.export' | 'files.pick';

function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** What the fake keeps about linked files. */
export class FakeLinks {
  /** Files on the serving machine: absolute path → base64 content (`fakeCertificateFile(...)`). */
  readonly files = new Map<string, string>();
  /** Each linked certificate's file password. */
  readonly passwords = new Map<string, string | undefined>();
  /** What the desktop's file dialog answers (a path, null for cancel); undefined: no dialog (browser). */
  picked: string | null | undefined = undefined;
}

/** The link, sync, unlink, export and file-dialog handlers of `client`. */
export function linkHandlers(client: FakeClient): Pick<Handlers, LinkHandlers> {
  const links = client.links;
  const notFound = (id: string) => fail<never>('not-found', `There is no client certificate with id "${id}".`);
  const sync = (id: string): Result<Certificate> => {
    const c = client.certificates.get(id);
    if (!c) return notFound(id);
    const source = c.source;
    if (!source) return fail('validation', `The certificate "${id}" is not linked to a file.`);
    const now = new Date().toISOString();
    const problem = (code: ErrorCode, message: string): Result<Certificate> => {
      const apisAtRisk = client.withUsage(c).usedBy.map((u) => u.apiName);
      const syncError = source.syncError?.code === code && source.syncError.message === message ? source.syncError : { code, message, at: now, apisAtRisk };
      return ok(save({ ...c, source: { ...source, state: 'error', syncError } }));
    };
    const data = links.files.get(source.file);
    if (data === undefined) return problem('not-found', `There is no file at ${source.file} (moved or deleted?). The APIs keep the current version.`);
    const parsed = client.parseFile(data, links.passwords.get(id));
    if (!parsed.ok) return problem(parsed.error.code, parsed.error.message);
    const good: CertificateSource = { ...source, state: 'ok', lastGoodSyncAt: now, syncError: null };
    if (parsed.value.thumbprint === c.thumbprint) return ok(save({ ...c, source: good }));
    const version = c.version ?? 1;
    const archived: Certificate = { ...c, id: `${id}-v${version}`, source: null };
    client.certificates.set(archived.id, archived);
    client.emitChange({ kind: 'certificate', action: 'created', id: archived.id });
    return ok(save({ ...c, ...parsed.value, version: version + 1, updatedAt: now, source: good }));
  };
  const save = (c: Certificate): Certificate => {
    client.certificates.set(c.id, c);
    client.emitChange({ kind: 'certificate', action: 'updated', id: c.id });
    return c;
  };
  return {
    'certificates.link': ({ id, file, password, replace }) => {
      if (!file.startsWith('/') && !/^[A-Za-z]:\\/.test(file)) return fail('validation', `The file must be an absolute path on the machine that runs CertGate ("${file}" is relative).`);
      const data = links.files.get(file);
      if (data === undefined) return fail('not-found', `There is no file at ${file} (moved or deleted?).`);
      const parsed = client.parseFile(data, password);
      if (!parsed.ok) return parsed;
      const existing = client.certificates.get(id);
      if (existing && !replace) return fail('duplicate', `A certificate with id "${id}" already exists. Choose another id, or link it with replace.`);
      if (!existing && replace) return notFound(id);
      links.passwords.set(id, password);
      const now = new Date().toISOString();
      const source: CertificateSource = { file, linkedAt: now, state: 'ok', lastGoodSyncAt: now, syncError: null };
      if (existing) {
        save({ ...existing, source: { ...source, state: 'pending', lastGoodSyncAt: null } });
        const synced = sync(id);
        return synced.ok ? ok({ certificate: synced.value, created: false }) : synced;
      }
      const certificate = { ...parsed.value, id, uploadedAt: now, updatedAt: now, version: 1, source };
      client.certificates.set(id, certificate);
      client.emitChange({ kind: 'certificate', action: 'created', id });
      return ok({ certificate, created: true });
    },
    'certificates.unlink': ({ id }) => {
      const c = client.certificates.get(id);
      if (!c) return notFound(id);
      if (!c.source) return fail('validation', `The certificate "${id}" is not linked to a file.`);
      links.passwords.delete(id);
      return ok(save({ ...c, source: null }));
    },
    'certificates.sync': ({ id }) => sync(id),
    'certificates.export': ({ id, format, includePrivateKey, password }) => {
      const c = client.certificates.get(id);
      if (!c) return notFound(id);
      if (format === 'pfx' && (!includePrivateKey || !password)) return fail('validation', 'A PFX export needs the private key and a new password.');
      const withKey = includePrivateKey && format !== 'cer';
      const content = `${format}:${c.thumbprint}:${withKey ? `key:${password ?? 'plain'}` : 'public'}`;
      const mediaType = { pfx: 'application/x-pkcs12', pem: 'application/x-pem-file', cer: 'application/pkix-cert' }[format];
      return ok({ fileName: `${id}.${format}`, mediaType, data: Buffer.from(content).toString('base64'), containsPrivateKey: withKey });
    },
    'files.pick': () =>
      links.picked === undefined ? fail('validation', 'Only the desktop app has a file dialog: type the path.') : ok({ path: links.picked }),
  };
}
