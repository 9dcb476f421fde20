/**
 * The certificate parser: PFX/P12 files from any tool (OpenSSL 3 and -legacy, Windows, Java, RFC 9579
 * PBMAC1) and PEM files, into metadata plus an unencrypted PKCS #8 key and a PEM chain for the gateway.
 * Expected failures are `fail` values with a stable code and a message for people; nothing throws.
 */
import { X509Certificate } from 'node:crypto';
import { fail, ok, type ParseEstimate, type Result } from '../../../preload/contract';
import { assemble } from './assemble';
import { loadCertificate, summarize, type CertificateSummary } from './certificate-info';
import { newBudget, readDer } from './der';
import { DAMAGED, refuse, toFailure } from './errors';
import type { Extracted, ParsedCertificate } from './extracted';
import { MAX_FILE_BYTES, type ParseContext } from './limits';
import { newPacer } from './pacer';
import { certificateDer, encryptedKeySchemes, looksLikePem, pemBlocks, readPem } from './pem';
import { estimatePkcs12, looksLikePfx, readPkcs12 } from './pkcs12';

export { MAX_FILE_BYTES, MAX_ITERATIONS } from './limits';
export type { ParsedCertificate } from './extracted';

/** A trusted CA certificate, parsed. */
export interface ParsedCaCertificate {
  readonly info: CertificateSummary;
  readonly pem: string;
}

/** How many CA certificates one upload may hold (a full public CA bundle has about 150). */
const MAX_CA_CERTIFICATES = 1000;

function tooLarge(size: number): never {
  const mib = (size / (1024 * 1024)).toFixed(1);
  return refuse('too-large', `{file} is ${mib} MiB; CertGate accepts certificate files up to ${MAX_FILE_BYTES / (1024 * 1024)} MiB.`);
}

/** Options of a parse. */
export interface ParseOptions {
  readonly fileName?: string;
  /** Aborted when the caller went away (the console's Cancel, a closed connection): the parse stops, `cancelled`. */
  readonly signal?: AbortSignal;
}

/**
 * Parse a PFX/P12 (any tool) or PEM (cert + key, key optionally encrypted, chain) file, within one total
 * key-derivation budget (`too-expensive` beyond it), until `signal` aborts (`cancelled`).
 */
export async function parseCertificateFile(data: Uint8Array, password: string | undefined, options?: ParseOptions): Promise<Result<ParsedCertificate>> {
  try {
    // The size is checked before anything else looks at the bytes.
    if (data.length > MAX_FILE_BYTES) tooLarge(data.length);
    if (data.length === 0) refuse('invalid-format', '{file} is empty.');
    const ctx = newContext(options?.signal);
    ctx.pacer.check();
    return ok(await assemble(await read(data, password, ctx), ctx));
  } catch (err) {
    return toFailure(err, options?.fileName);
  }
}

function newContext(signal?: AbortSignal): ParseContext {
  return { pacer: newPacer(signal), budget: newBudget(), derivations: 0, rounds: 0 };
}

/**
 * What parsing a file with a password will cost, read from its structure without deriving any key (cheap:
 * the DER walk only): the key derivations visible before decryption and their rounds added up. Files whose
 * parameters are refused anyway (`too-expensive` iteration counts, unsupported algorithms) are refused here too.
 */
export function estimateCertificateFile(data: Uint8Array, options?: { readonly fileName?: string }): Result<ParseEstimate> {
  try {
    if (data.length > MAX_FILE_BYTES) tooLarge(data.length);
    if (data.length === 0) refuse('invalid-format', '{file} is empty.');
    const ctx = newContext();
    if (looksLikePfx(data, ctx)) {
      const cost = estimatePkcs12(data, ctx);
      return ok({ format: 'pkcs12', derivations: cost.derivations, iterations: cost.rounds });
    }
    const text = textOf(data);
    if (looksLikePem(text)) {
      const schemes = encryptedKeySchemes(pemBlocks(text), ctx.budget);
      return ok({ format: 'pem', derivations: schemes.length, iterations: schemes.reduce((sum, s) => sum + s.rounds, 0) });
    }
    return ok({ format: 'unknown', derivations: 0, iterations: 0 });
  } catch (err) {
    return toFailure(err, options?.fileName);
  }
}

async function read(data: Uint8Array, password: string | undefined, ctx: ParseContext): Promise<Extracted> {
  if (looksLikePfx(data, ctx)) return readPkcs12(data, password, ctx);
  const text = textOf(data);
  if (looksLikePem(text)) return readPem(pemBlocks(text), password, ctx);
  if (isDerCertificate(data)) {
    return refuse('no-private-key', '{file} is a certificate without its private key (a .cer/.crt). Upload a .pfx/.p12, or a PEM file with the certificate and its key.');
  }
  return refuse('invalid-format', DAMAGED, 'not PFX, PEM or DER');
}

/** PEM text: ASCII/UTF-8 (read as Latin-1, which never fails), or UTF-16 with a byte order mark (Windows Notepad). */
function textOf(data: Uint8Array): string {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  const utf16 = bytes.subarray(2, 2 + ((bytes.length - 2) & ~1));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16.toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(utf16).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

function isDerCertificate(data: Uint8Array): boolean {
  if (data[0] !== 0x30) return false;
  try {
    new X509Certificate(Buffer.from(data.buffer, data.byteOffset, data.length));
    return true;
  } catch {
    return false;
  }
}

/** Parse one or more PEM/DER CA certificates (no key) for back-end trust. */
export function parseCaCertificates(data: string | Uint8Array): Result<readonly ParsedCaCertificate[]> {
  try {
    const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
    if (size > MAX_FILE_BYTES) tooLarge(size);
    const budget = newBudget();
    const text = typeof data === 'string' ? data : textOf(data);
    let ders: Uint8Array[];
    if (looksLikePem(text)) {
      ders = pemBlocks(text)
        .map((block) => certificateDer(block, budget))
        .filter((der): der is Uint8Array => der !== null);
    } else if (typeof data !== 'string' && data.length > 0) {
      ders = splitDer(data, budget);
    } else {
      return fail('invalid-format', CA_UNREADABLE);
    }
    if (ders.length === 0) return fail('no-certificate', 'There is no certificate ("BEGIN CERTIFICATE") in the CA certificate text.');
    if (ders.length > MAX_CA_CERTIFICATES) return fail('too-large', `Upload at most ${MAX_CA_CERTIFICATES} CA certificates at a time.`);
    const out: ParsedCaCertificate[] = [];
    for (const der of ders) {
      const cert = loadCertificate({ der, friendlyName: null, localKeyId: null }, budget);
      if (out.some((c) => c.info.thumbprint === cert.thumbprint)) continue;
      out.push({ info: summarize(cert, [cert]), pem: cert.x509.toString() });
    }
    return ok(out);
  } catch (err) {
    const failure = toFailure<readonly ParsedCaCertificate[]>(err, undefined);
    return !failure.ok && failure.error.code === 'invalid-format' ? fail('invalid-format', CA_UNREADABLE) : failure;
  }
}

const CA_UNREADABLE = 'CertGate cannot read the CA certificates: they must be X.509 certificates in PEM ("BEGIN CERTIFICATE") or DER form.';

/** One or more DER certificates one after the other. */
function splitDer(data: Uint8Array, budget: ReturnType<typeof newBudget>): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let rest = data; rest.length > 0; ) {
    const element = readDer(rest, budget, true);
    out.push(element.bytes);
    rest = rest.subarray(element.bytes.length);
  }
  return out;
}
