// Records every module a Node process loads through the ESM loader (its own files and the packages it
// imports), one URL a line, into $CERTGATE_MODULE_LOG: `node --import ./test/helpers/module-log.mjs …`.
// The CLI's lazy-loading tests use it to prove what a command does not load.
import { register } from 'node:module';

if (process.env.CERTGATE_MODULE_LOG) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { file: process.env.CERTGATE_MODULE_LOG } });
}
