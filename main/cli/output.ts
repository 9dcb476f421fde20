import type { AppError } from '../../preload/contract';
import { displayWidth, padTo, printable, truncate, type TextStyle } from './text';

/** Where a command writes: injectable so tests can run commands in-process. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 success, 1 an expected failure (an error code), 2 a usage mistake. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Print a command's success: exactly one JSON document with --json, else the text for people. */
export function printResult(io: Io, json: boolean, value: unknown, human: () => string): number {
  if (json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout.write(`${human()}\n`);
  return EXIT_OK;
}

/** Print a failure: `{"error":{code,message}}` on stdout with --json, else `certgate: message` on stderr. */
export function printError(io: Io, json: boolean, error: AppError): number {
  if (json) {
    const body = error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
    io.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  } else {
    io.stderr.write(`certgate: ${printable(error.message)} (${error.code})\n`);
  }
  return EXIT_FAILED;
}

/** Aligned columns for people. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]): string => cells.map((c, i) => padTo(c, widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** A column that may be shortened (with "…") to make a table fit, down to `min` columns. */
export interface Shrinkable {
  readonly column: number;
  readonly min: number;
}

/**
 * Aligned columns within `maxWidth` terminal columns: the shrinkable columns are shortened in the order
 * given, each down to its minimum, until the table fits. `shortened` tells whether anything was cut.
 */
export function fitTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth: number,
  shrink: readonly Shrinkable[],
): { readonly text: string; readonly shortened: boolean } {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  let excess = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1) - maxWidth;
  const natural = [...widths];
  for (const { column, min } of shrink) {
    if (excess <= 0) break;
    const floor = Math.max(min, displayWidth(headers[column] ?? ''));
    const cut = Math.min(excess, Math.max(0, (widths[column] ?? 0) - floor));
    widths[column] = (widths[column] ?? 0) - cut;
    excess -= cut;
  }
  const shortened = widths.some((w, i) => w < (natural[i] ?? 0));
  const cells = rows.map((r) => r.map((c, i) => truncate(c, widths[i] ?? 0)));
  return { text: table(headers, cells), shortened };
}

const DAY_MS = 86_400_000;
const relativeDays = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * Expiry in the console's English words ("expires in 12 days", "expires tomorrow", "expires today",
 * "expired yesterday", "expired 3 days ago"): the same whole days and the same Intl wording as the
 * console's `expiryLabel`, so both say the same of one certificate.
 */
export function expiryInWords(notAfter: string, now: Date = new Date()): string {
  const left = Date.parse(notAfter) - now.getTime();
  if (Number.isNaN(left)) return 'expiry date unknown';
  if (left <= 0) return `expired ${relativeDays.format(-Math.floor(-left / DAY_MS), 'day')}`;
  return `expires ${relativeDays.format(Math.floor(left / DAY_MS), 'day')}`;
}

/**
 * A thumbprint for people: whole, so it copies and pastes as one word. Operators tell certificates apart
 * by the last four characters: on a terminal they are emphasised (bold, coloured), never set apart by a space.
 */
export function thumbprintForPeople(thumbprint: string, style?: TextStyle): string {
  if (!style?.color || thumbprint.length <= 4) return thumbprint;
  return `${thumbprint.slice(0, -4)}${style.emphasis(thumbprint.slice(-4))}`;
}
