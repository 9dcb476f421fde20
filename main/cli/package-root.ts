import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

/**
 * The folder holding CertGate's package.json. The CLI runs from its sources (main/cli, in tests) or from its
 * build (out/cli/certgate.mjs and out/cli/chunks/), so the depth differs: walk up to the package instead.
 */
export function packageRoot(): string {
  if (found !== undefined) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'certgate') return (found = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`CertGate's package.json was not found above ${fileURLToPath(import.meta.url)}.`);
    dir = parent;
  }
}

/** CertGate's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
