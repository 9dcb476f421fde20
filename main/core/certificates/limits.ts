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
/** Separately derived keys (MAC, encrypted parts, encrypted keys) one parse may run, every password form included. */
const MAX_DERIVATIONS = 64;
/**
 * Key-derivation rounds one parse may run in all (every derivation, every password form tried): two steps at
 * the per-step maximum. A 10,000,000-round PKCS #12 MAC alone costs about 20 s of CPU; without a total, 64
 * derivations at that count would cost over 20 minutes.
 */
export const MAX_TOTAL_ROUNDS = 2 * MAX_ITERATIONS;

/** The state of one parse: pacing (and cancellation), the DER budget and the key derivations so far. */
export interface ParseContext {
  readonly pacer: Pacer;
  readonly budget: DerBudget;
  derivations: number;
  /** Hash rounds spent (or about to be) by the derivations so far. */
  rounds: number;
}

/** The hash rounds a derivation of `length` octets costs: `iterations` per output block of the hash. */
export function kdfRounds(iterations: number, length: number, hashSize: number): number {
  return iterations * Math.max(1, Math.ceil(length / hashSize));
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

/** Count one key derivation of `rounds` hash rounds before running it, refusing files over either budget. */
export function countDerivation(ctx: ParseContext, rounds: number): void {
  ctx.pacer.check();
  if (++ctx.derivations > MAX_DERIVATIONS) {
    refuse('too-expensive', `CertGate refuses {file}: it has more than ${MAX_DERIVATIONS} separately encrypted parts.`);
  }
  ctx.rounds += rounds;
  if (ctx.rounds > MAX_TOTAL_ROUNDS) overBudget(ctx.rounds);
}

/** Refuse a file whose derivations add up to more than the total budget. */
export function overBudget(rounds: number): never {
  return refuse(
    'too-expensive',
    `CertGate refuses {file}: opening it takes more than ${rounds.toLocaleString('en-US')} key-derivation rounds in all, above the ${MAX_TOTAL_ROUNDS.toLocaleString('en-US')} allowed for one file. Export it again with the default settings.`,
  );
}
