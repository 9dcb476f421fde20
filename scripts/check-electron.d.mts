/** Types of scripts/check-electron.mjs, for its tests. */
export type ElectronStatus =
  | { readonly ok: true; readonly version: string; readonly binary: string }
  | { readonly ok: false; readonly version: string | null; readonly missing: string };
export function electronBinary(electronDir: string | null, env?: NodeJS.ProcessEnv): ElectronStatus;
export function missingElectronMessage(status: Extract<ElectronStatus, { ok: false }>): string;
