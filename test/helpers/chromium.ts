import { existsSync } from 'node:fs';

/** The message when the e2e tests have no browser: what they need and how to run the rest without it. */
export function missingChromiumMessage(path: string): string {
  return [
    `The e2e tests (test/e2e) drive a real Chromium, and there is none at ${path}.`,
    'Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    'To run every other test without it: npx vitest run --project node --project renderer',
  ].join('\n');
}

/** The Chromium binary for the e2e tests (CHROMIUM_PATH, else /usr/bin/chromium); throws what to do when it is missing. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(missingChromiumMessage(path));
  return path;
}
