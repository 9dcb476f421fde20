#!/usr/bin/env node
// The `certgate` command: runs the CLI built to JavaScript in out/cli (npm's prepare step builds it on
// `npm install`; `npm run build` and `npm run build:cli` rebuild it). It never needs Electron.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/certgate.mjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write(
    `certgate: the command is not built yet (${built} is missing).\n` +
      'Run "npm run build:cli" in the CertGate folder (a second; "npm install" does it too, "npm run build" builds the app as well), then try again.\n',
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(built).href);
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
