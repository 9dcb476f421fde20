import { EXIT_USAGE, type Io } from './output';
import { packageVersion } from './package-root';

/** Help for `certgate`. */
export const MAIN_HELP = `CertGate: client certificates for your API back ends, with the gateway built in.

Usage: certgate <command> [options]

  cert          upload, list, show, inspect and delete client certificates (certgate cert --help)
  ca            trusted CA certificates for back-end TLS
  api           APIs and how the gateway authenticates to their back ends
  operation     an API's operations (method + URL template), each with its own policy
  policy        read or write a policy's XML: an API's, an operation's, the global one, or the composed one
  serve         run the gateway, the admin API and the browser console
  export        write every API's Kong, nginx or Azure API Management configuration
  echo-backend  a local mTLS back end that echoes what it receives, for trying CertGate offline

Global options: --data-dir DIR (default: $CERTGATE_DATA_DIR, else the desktop app's folder), --json, --help.
While the app or "certgate serve" runs on the data folder, commands go through it and apply at once.

Private keys are encrypted under a key kept in the OS keychain. On a machine without one (a headless
server), choose the passphrase vault for a new data folder: give the passphrase with --vault-passphrase-stdin
or in a file named by $CERTGATE_VAULT_PASSPHRASE_FILE (never on the command line). The choice is recorded in
the folder; from then on every command needs that passphrase, and a folder never switches silently.`;

/** A command group: what runs it, and its help for `certgate GROUP --help`. */
interface CommandGroup {
  readonly run: (io: Io, args: readonly string[]) => Promise<number>;
  readonly help: string;
}

/**
 * The command table: one entry per command group, each imported only when it runs, so `certgate --help` loads
 * nothing else and `cert list` never loads the gateway, the admin server or node-forge. To add a group, add
 * its file under commands/ and one line here (and one in MAIN_HELP).
 */
const COMMANDS: Readonly<Record<string, () => Promise<CommandGroup>>> = {
  cert: () => import('./commands/cert').then((m) => ({ run: m.certCommand, help: m.CERT_HELP })),
  ca: () => import('./commands/ca').then((m) => ({ run: m.caCommand, help: m.CA_HELP })),
  api: () => import('./commands/api').then((m) => ({ run: m.apiCommand, help: m.API_HELP })),
  operation: () => import('./commands/operation').then((m) => ({ run: m.operationCommand, help: m.OPERATION_HELP })),
  policy: () => import('./commands/policy').then((m) => ({ run: m.policyCommand, help: m.POLICY_HELP })),
  serve: () => import('./commands/serve').then((m) => ({ run: (io, args) => m.serveCommand(io, args), help: m.SERVE_HELP })),
  'echo-backend': () => import('./commands/echo-backend').then((m) => ({ run: (io, args) => m.echoBackendCommand(io, args), help: m.ECHO_HELP })),
  export: () => import('./commands/export').then((m) => ({ run: m.exportCommand, help: m.EXPORT_HELP })),
};

const HELP_WORDS: readonly (string | undefined)[] = ['--help', '-h', 'help'];

/** Run the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
    const group = await (COMMANDS[command] as () => Promise<CommandGroup>)();
    if (HELP_WORDS.includes(rest[0])) {
      io.stdout.write(`${group.help}\n`);
      return 0;
    }
    return group.run(io, rest);
  }
  if (command === '--version' || command === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (command === undefined || HELP_WORDS.includes(command)) {
    io.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? EXIT_USAGE : 0;
  }
  io.stderr.write(`certgate: unknown command "${command}".\n\n${MAIN_HELP}\n`);
  return EXIT_USAGE;
}

function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
