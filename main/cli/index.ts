import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_HELP, apiCommand } from './commands/api';
import { CA_HELP, caCommand } from './commands/ca';
import { CERT_HELP, certCommand } from './commands/cert';
import { echoBackendCommand } from './commands/echo-backend';
import { exportCommand } from './commands/export';
import { POLICY_HELP, policyCommand } from './commands/policy';
import { serveCommand } from './commands/serve';
import { EXIT_USAGE, type Io } from './output';

/** Help for `certgate`. */
export const MAIN_HELP = `CertGate: client certificates for your API back ends, with the gateway built in.

Usage: certgate <command> [options]

  cert          upload, list, show, inspect and delete client certificates (certgate cert --help)
  ca            trusted CA certificates for back-end TLS
  api           APIs and how the gateway authenticates to their back ends
  policy        read or write an API's policy XML
  serve         run the gateway, the admin API and the browser console
  export        write every API's Kong, nginx or Azure API Management configuration
  echo-backend  a local mTLS back end that echoes what it receives, for trying CertGate offline

Global options: --data-dir DIR (default: $CERTGATE_DATA_DIR, else the desktop app's folder), --json, --help.
While the app or "certgate serve" runs on the data folder, commands go through it and apply at once.`;

/** The help of each command group, for `certgate GROUP --help`. */
const GROUP_HELP: Readonly<Record<string, string>> = {
  cert: CERT_HELP,
  ca: CA_HELP,
  api: API_HELP,
  policy: POLICY_HELP,
};

/** Run the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const groupHelp = command === undefined ? undefined : GROUP_HELP[command];
  if (groupHelp && (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help')) {
    io.stdout.write(`${groupHelp}\n`);
    return 0;
  }
  switch (command) {
    case 'cert':
      return certCommand(io, rest);
    case 'ca':
      return caCommand(io, rest);
    case 'api':
      return apiCommand(io, rest);
    case 'policy':
      return policyCommand(io, rest);
    case 'serve':
      return serveCommand(io, rest);
    case 'echo-backend':
      return echoBackendCommand(io, rest);
    case 'export':
      return exportCommand(io, rest);
    case '--version':
    case 'version':
      io.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(`${MAIN_HELP}\n`);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      io.stderr.write(`certgate: unknown command "${command}".\n\n${MAIN_HELP}\n`);
      return EXIT_USAGE;
  }
}

function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}
