import { fail, ok, type ExportedCertificateFile, type Operations, type Result } from '../../../preload/contract';
import { leafDer, writePem, writePkcs12 } from '../certificates/pkcs12-writer';
import type { CertificateSecret } from './certificate-service';
import type { ServiceContext } from './context';

/**
 * `certificates.export`: any stored certificate as a modern file, whatever file it was imported from. The
 * private key leaves only on this explicit request (`includePrivateKey`): in a PFX always under a password,
 * in PEM encrypted when a password is given. Public forms (`cer`, `pem` without the key) carry no secret.
 */
export function certificateExportOperations(ctx: ServiceContext): Pick<Operations, 'certificates.export'> {
  return {
    async 'certificates.export'({ id, format, includePrivateKey, password }) {
      const cert = ctx.store.data.certificates.find((c) => c.id === id);
      if (!cert) return fail('not-found', `There is no client certificate with id "${id}".`);
      if (format === 'pfx' && !includePrivateKey) {
        return fail('validation', 'A PFX file holds the private key; for the certificate alone choose .cer or .pem.', { field: 'includePrivateKey' });
      }
      if (format === 'cer' && includePrivateKey) {
        return fail('validation', 'A .cer file holds the certificate only; for the key choose PFX or PEM.', { field: 'includePrivateKey' });
      }
      if (format === 'pfx' && (password === undefined || password === '')) {
        return fail('validation', 'A PFX export needs a new password to protect the private key.', { field: 'password' });
      }
      const stored = await ctx.vault.get(cert.secretRef);
      if (!stored.ok) return stored;
      const secret = parseSecret(stored.value);
      if (!secret) return fail('store-corrupt', `The vault entry of "${id}" is damaged; upload the certificate again.`);
      const stem = fileStem(id);
      try {
        switch (format) {
          case 'pfx': {
            const pfx = await writePkcs12(secret.keyPem, secret.chainPem, { password: password ?? '', friendlyName: cert.friendlyName ?? cert.id });
            return file(`${stem}.pfx`, 'application/x-pkcs12', pfx, true);
          }
          case 'pem': {
            const text = await writePem(includePrivateKey ? secret.keyPem : null, secret.chainPem, password);
            return file(`${stem}.pem`, 'application/x-pem-file', Buffer.from(text, 'utf8'), includePrivateKey);
          }
          case 'cer':
            return file(`${stem}.cer`, 'application/pkix-cert', leafDer(secret.chainPem), false);
        }
      } catch (err) {
        return fail('store-corrupt', `The certificate "${id}" could not be written as ${format.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}. Upload it again.`);
      }
    },
  };
}

function file(fileName: string, mediaType: string, bytes: Buffer, containsPrivateKey: boolean): Result<ExportedCertificateFile> {
  return ok({ fileName, mediaType, data: bytes.toString('base64'), containsPrivateKey });
}

/** A file name from an id (ids may hold spaces and dots, never path separators). */
function fileStem(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'certificate';
}

function parseSecret(json: string): CertificateSecret | null {
  try {
    const value = JSON.parse(json) as Partial<CertificateSecret>;
    return typeof value.keyPem === 'string' && typeof value.chainPem === 'string' ? { keyPem: value.keyPem, chainPem: value.chainPem } : null;
  } catch {
    return null;
  }
}
