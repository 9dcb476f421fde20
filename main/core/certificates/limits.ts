/** The limits CertGate puts on a certificate file before and while reading it. */
import { refuse } from './errors';
import type { DerBudget } from './der';
import type { Pacer } from './pacer';

/** Files above this size are refused before anything is parsed. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** PBKDF2, PBES1 and PKCS #12 KDF iteration counts above this are refused before anything is derived. */
export const MAX_ITERATIONS = 10_000_000;
/** A client certificate file needs its chain, not a certificate store. */
export const MAX_CERTIFICATES = 100;
/** Separately derived keys (MAC, encrypted parts, encrypted keys) one file may ask for, per password tried. */
const MAX_DERIVATIONS = 64;

/** The state of one parse: pacing, the DER budget and the number of key derivations so far. */
export interface ParseContext {
  readonly pacer: Pacer;
  readonly budget: DerBudget;
  derivations: number;
}

/** Refuse an iteration count above the limit (before deriving anything with it). */
export function checkIterations(count: bigint): number {
  if (count > BigInt(MAX_ITERATIONS)) {
    refuse(
      'too-expensive',
      `CertGate refuses {file}: it asks for ${count.toLocaleString('en-US')} password iterations, more than the ${MAX_ITERATIONS.toLocaleString('en-US')} allowed. Opening it would take minutes to hours; export it again with the default settings.`,
    );
  }
  if (count < 1n) refuse('invalid-format', 'CertGate cannot read {file}: it asks for zero password iterations.', 'iterations');
  return Number(count);
}

/** Count one key derivation, refusing files that ask for too many. */
export function countDerivation(ctx: ParseContext): void {
  if (++ctx.derivations > MAX_DERIVATIONS) {
    refuse('too-expensive', `CertGate refuses {file}: it has more than ${MAX_DERIVATIONS} separately encrypted parts.`);
  }
}
