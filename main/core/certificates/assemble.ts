/** Turns what a reader found into the parsed certificate: the leaf (the certificate matching the key), its chain and metadata. */
import { loadCertificate, orderChain, summarize, type LoadedCertificate } from './certificate-info';
import { refuse } from './errors';
import type { Extracted, ParsedCertificate } from './extracted';
import { describeKey, findLeaf, loadKey } from './keys';
import { MAX_CERTIFICATES, type ParseContext } from './limits';
import { describeProtection } from './protection';

/** Pick the leaf, order the chain and describe everything; refuses files without a usable key/certificate pair. */
export async function assemble(found: Extracted, ctx: ParseContext): Promise<ParsedCertificate> {
  if (found.keys.length === 0) {
    refuse(
      'no-private-key',
      found.certs.length > 0
        ? '{file} holds a certificate but no private key. Export the certificate again together with its private key (a .pfx/.p12, or PEM with the key).'
        : '{file} holds no private key and no certificate.',
    );
  }
  if (found.certs.length === 0) refuse('no-certificate', '{file} holds a private key but no certificate. Add the certificate (and its chain) to the file.');
  if (found.certs.length > MAX_CERTIFICATES) {
    refuse('too-large', `{file} holds ${found.certs.length} certificates; CertGate accepts up to ${MAX_CERTIFICATES} (the certificate and its chain).`);
  }

  const certs: LoadedCertificate[] = [];
  for (const entry of found.certs) {
    const cert = loadCertificate(entry, ctx.budget);
    if (!certs.some((c) => c.thumbprint === cert.thumbprint)) certs.push(cert);
    await ctx.pacer.pace();
  }
  const keys = found.keys.map(loadKey);
  const match = await findLeaf(keys, certs, ctx.pacer);
  if (!match) {
    refuse('key-mismatch', 'The private key in {file} does not belong to any of its certificates. Export the certificate together with its own private key.');
  }
  const keyDescription = describeKey(match.key.key);
  const chain = orderChain(match.cert, certs);
  await ctx.pacer.pace();
  const summary = summarize(match.cert, chain);
  return {
    info: {
      ...summary,
      ...keyDescription,
      friendlyName: match.cert.entry.friendlyName ?? match.key.entry.friendlyName ?? null,
      protection: describeProtection({ format: found.format, key: match.key.entry.scheme, certificates: found.certSchemes, mac: found.mac }),
    },
    keyPem: match.key.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    chainPem: chain.map((c) => c.x509.toString()).join(''),
  };
}
