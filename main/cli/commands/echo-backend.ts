import { readFile } from 'node:fs/promises';
import { flag, list, parseCommand, str } from '../args';
import { commandContext, help, usage } from '../context';
import { startEchoBackend } from '../tools/echo-backend';
import { untilStopSignal } from '../signals';
import { printError, type Io } from '../output';

/** Help for `certgate echo-backend`. */
export const ECHO_HELP = `Usage: certgate echo-backend [--port N] [--host H] [--ca-out DIR] [--trust-ca FILE]... [--any-client-cert]

A local HTTPS back end for trying CertGate offline. It requires a client certificate (signed by a CA given
with --trust-ca, or any certificate with --any-client-cert) and answers every request with JSON describing
what it received, including the client certificate's subject and thumbprint. Its own CA is written to
DIR/ca.crt with --ca-out: trust it in the API's back-end TLS settings.`;

/** `certgate echo-backend`: runs until a signal. */
export async function echoBackendCommand(io: Io, args: readonly string[], signals: NodeJS.EventEmitter = process): Promise<number> {
  const parsed = parseCommand(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'ca-out': { type: 'string' },
    'trust-ca': { type: 'string', multiple: true },
    'any-client-cert': { type: 'boolean' },
  });
  if (!parsed.ok) return usage({ io, json: args.includes('--json') }, parsed.message, ECHO_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, ECHO_HELP);
  const port = Number(str(ctx.parsed, 'port') ?? 9443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(ctx, 'A port is a number from 0 to 65535.', ECHO_HELP);
  const trustCaPems: string[] = [];
  for (const file of list(ctx.parsed, 'trust-ca')) {
    try {
      trustCaPems.push(await readFile(file, 'utf8'));
    } catch {
      return printError(io, ctx.json, { code: 'not-found', message: `Cannot read ${file}.` });
    }
  }
  const any = flag(ctx.parsed, 'any-client-cert') || trustCaPems.length === 0;
  const backend = await startEchoBackend({
    port,
    host: str(ctx.parsed, 'host'),
    caOutDir: str(ctx.parsed, 'ca-out'),
    trustCaPems,
    acceptAnyClientCertificate: any,
  });
  // Listening before the ready line (as serve): a stop signal sent as soon as it is read closes cleanly.
  const stopSignal = untilStopSignal(signals);
  if (ctx.json) io.stdout.write(`${JSON.stringify({ url: backend.url, port: backend.port })}\n`);
  else {
    io.stdout.write(`Echo back end: ${backend.url}\n`);
    io.stdout.write(any ? 'It accepts any client certificate (and refuses calls without one).\n' : 'It accepts client certificates issued by the given CAs.\n');
    const caOut = str(ctx.parsed, 'ca-out');
    if (caOut) io.stdout.write(`Its CA certificate: ${caOut}/ca.crt (trust it with: certgate api create … --ca ${caOut}/ca.crt)\n`);
  }
  await stopSignal;
  await backend.close();
  return 0;
}
