/** How a file protected its content, in the words the console shows, and why that protection is weak. */
import type { FileProtection } from '../../../preload/contract';

/** A reason a file's protection is weak. */
export type WeakReason = 'rc2' | 'des' | 'rc4' | 'sha1-mac' | 'no-mac' | 'few-iterations' | 'key-not-encrypted';

const REASONS: Readonly<Record<WeakReason, string>> = {
  rc2: 'RC2 encryption (broken)',
  des: 'DES or Triple DES encryption (outdated)',
  rc4: 'RC4 encryption (broken)',
  'sha1-mac': 'SHA-1 integrity check (MAC)',
  'no-mac': 'No integrity check (MAC)',
  'few-iterations': 'Fewer than 2,000 password iterations',
  'key-not-encrypted': 'The private key is not encrypted',
};

/** An encryption or integrity scheme, as far as the protection summary is concerned. */
export interface SchemeSummary {
  readonly name: string;
  readonly iterations: number;
  readonly weakReasons: readonly WeakReason[];
}

/** What a reader learnt about a file's protection. */
export interface ProtectionParts {
  readonly format: FileProtection['format'];
  /** The scheme that encrypted the leaf's private key; null when it was stored in the clear. */
  readonly key: SchemeSummary | null;
  /** The schemes that encrypted certificates (PKCS #12 encrypted data). */
  readonly certificates: readonly SchemeSummary[];
  /** The integrity check; null when the file has none (always null for PEM). */
  readonly mac: SchemeSummary | null;
}

/** Summarise a file's protection, flagging weak algorithms and settings. */
export function describeProtection(parts: ProtectionParts): FileProtection {
  const certNames = [...new Set(parts.certificates.map((s) => s.name))];
  const reasons = new Set<WeakReason>();
  for (const scheme of [parts.key, ...parts.certificates, parts.mac]) scheme?.weakReasons.forEach((r) => reasons.add(r));
  if (parts.key === null) reasons.add('key-not-encrypted');
  if (parts.format === 'pkcs12' && parts.mac === null) reasons.add('no-mac');
  const ordered = (Object.keys(REASONS) as WeakReason[]).filter((r) => reasons.has(r));
  return {
    format: parts.format,
    keyEncryption: parts.key?.name ?? 'none',
    certificateEncryption: certNames.length === 0 ? 'none' : certNames.join(', '),
    mac: parts.mac?.name ?? 'none',
    iterations: parts.key?.iterations ?? parts.certificates[0]?.iterations ?? null,
    macIterations: parts.mac?.iterations ?? null,
    weak: ordered.length > 0,
    weakReasons: ordered.map((r) => REASONS[r]),
  };
}
