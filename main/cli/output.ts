import type { AppError } from '../../preload/contract';

/** Where a command writes: injectable so tests can run commands in-process. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
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
    io.stderr.write(`certgate: ${error.message} (${error.code})\n`);
  }
  return EXIT_FAILED;
}

/** Aligned columns for people. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Expiry in words: "expires in 12 days", "expires today", "expired 3 days ago". */
export function expiryInWords(notAfter: string, now: Date = new Date()): string {
  const ms = Date.parse(notAfter) - now.getTime();
  const days = Math.floor(Math.abs(ms) / 86_400_000);
  const unit = (n: number): string => {
    if (n >= 730) return `${Math.floor(n / 365)} years`;
    if (n >= 60) return `${Math.floor(n / 30)} months`;
    return n === 1 ? '1 day' : `${n} days`;
  };
  if (ms < 0) return days === 0 ? 'expired today' : `expired ${unit(days)} ago`;
  return days === 0 ? 'expires today' : `expires in ${unit(days)}`;
}

/** A thumbprint with its last four characters set apart, as operators tell certificates apart by them. */
export function thumbprintForPeople(thumbprint: string): string {
  return `${thumbprint.slice(0, -4)} ${thumbprint.slice(-4)}`;
}
