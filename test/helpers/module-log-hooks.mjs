// The loader hooks behind module-log.mjs (they run on Node's loader thread).
import { appendFileSync } from 'node:fs';

let file = '';

/** Receives the log file's path from register(). */
export function initialize(data) {
  file = data.file;
}

/** Logs each resolved module once it is resolved. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
