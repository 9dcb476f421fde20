import { parseArgs } from 'node:util';

/** Option specs in node:util parseArgs form. */
export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** The options every command takes. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  'vault-passphrase-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Parsed arguments of one command. */
export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: readonly string[];
}

/** Parse a command's arguments; an unknown option is a usage error with a clear message. */
export function parseCommand(args: readonly string[], options: OptionSpecs): { ok: true; parsed: Parsed } | { ok: false; message: string } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { ok: true, parsed: { values: values as Parsed['values'], positionals } };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** A string option's value. */
export function str(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean option's value. */
export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** A repeatable string option's values. */
export function list(parsed: Parsed, name: string): string[] {
  const v = parsed.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
