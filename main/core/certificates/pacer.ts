/**
 * Long computations (key derivation loops, software ciphers, many certificates) run in slices and hand
 * the event loop back between them, so parsing a hostile or expensive file never freezes the window or
 * the gateway sharing the process.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { refuse } from './errors';

/** How long one slice may run before the event loop gets a turn. */
const SLICE_MS = 8;

/** Tracks how long the current slice has run and yields when it is over; stops the parse once cancelled. */
export interface Pacer {
  /** Yield to the event loop if the current slice is over; throws `cancelled` once the caller went away. */
  pace(): Promise<void>;
  /** Throw `cancelled` if the caller went away. */
  check(): void;
}

/** A pacer for one parse; `signal` aborted (the caller went away) stops it at the next slice. */
export function newPacer(signal?: AbortSignal, sliceMs = SLICE_MS): Pacer {
  let started = performance.now();
  const check = () => {
    if (signal?.aborted) refuse('cancelled', 'Reading {file} was cancelled.');
  };
  return {
    check,
    async pace() {
      check();
      if (performance.now() - started < sliceMs) return;
      await nextTurn();
      started = performance.now();
      check();
    },
  };
}

/** Feed `data` to `sink` in pieces, letting the event loop run between them. */
export async function feed(data: Uint8Array, sink: (piece: Uint8Array) => void, pacer: Pacer, pieceSize = 256 * 1024): Promise<void> {
  for (let pos = 0; pos < data.length; pos += pieceSize) {
    sink(data.subarray(pos, Math.min(pos + pieceSize, data.length)));
    await pacer.pace();
  }
}
