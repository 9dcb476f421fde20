#!/usr/bin/env node
// The `certgate` command. It runs the TypeScript sources through tsx, so it works straight after
// `npm install`, with or without `npm run build`, and never needs Electron.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
