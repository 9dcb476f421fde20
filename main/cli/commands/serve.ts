import { existsSync } from 'node:fs';
import path from 'node:path';
import { flag, parseCommand, str } from '../args';
import { commandContext, help, usage } from '../context';
import { openInstance } from '../../core/app/instance';
import { DEFAULT_ADMIN_PORT } from '../../core/admin-http/server';
import { TOKEN_FILE } from '../../core/admin-http/token';
import { packageRoot } from '../package-root';
import { untilStopSignal } from '../signals';
import { printError, type Io } from '../output';
import { vaultPassphrase } from '../vault-passphrase';
import { readProtection } from '../../core/vault/protection';
import type { AppInfo } from '../../../preload/contract';

/** Help for `certgate serve`. */
export const SERVE_HELP = `Usage: certgate serve [--port N] [--host H] [--admin-port N] [--no-admin] [--backend-timeout SECONDS]
                     [--vault-passphrase-stdin] [--data-dir DIR]

Runs the gateway (default http://127.0.0.1:8787; --port 0 picks a free port) and the admin REST API with
the console for a browser (default http://127.0.0.1:8788; printed once with its token). Stops cleanly on
Ctrl+C or SIGTERM: calls in flight finish first.

Private keys are read through the OS keychain, or (a passphrase vault, for machines without a keychain)
with the passphrase from --vault-passphrase-stdin or the file named by $CERTGATE_VAULT_PASSPHRASE_FILE.
The banner says which.`;

/** `certgate serve`: the core, the gateway and the admin API in this process, until a signal. */
export async function serveCommand(io: Io, args: readonly string[], signals: NodeJS.EventEmitter = process): Promise<number> {
  const parsed = parseCommand(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'admin-port': { type: 'string' },
    'no-admin': { type: 'boolean' },
    'backend-timeout': { type: 'string' },
  });
  if (!parsed.ok) return usage({ io, json: args.includes('--json') }, parsed.message, SERVE_HELP);
  const ctx = commandContext(io, parsed.parsed);
  if (flag(ctx.parsed, 'help')) return help(io, SERVE_HELP);
  const port = portOption(str(ctx.parsed, 'port'), 8787);
  const adminPort = portOption(str(ctx.parsed, 'admin-port'), DEFAULT_ADMIN_PORT);
  const timeout = str(ctx.parsed, 'backend-timeout');
  const timeoutSeconds = timeout === undefined ? 60 : Number(timeout);
  if (port === null || adminPort === null) return usage(ctx, 'A port is a number from 0 to 65535.', SERVE_HELP);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) return usage(ctx, '--backend-timeout is a number of seconds above 0.', SERVE_HELP);
  const host = str(ctx.parsed, 'host') ?? '127.0.0.1';
  const built = path.join(packageRoot(), 'out/renderer');
  const rendererDir = existsSync(path.join(built, 'index.html')) ? built : null;

  const passphrase = await vaultPassphrase(ctx);
  if (!passphrase.ok) return printError(io, ctx.json, passphrase.error);
  // The gateway must present its certificates from the first call: a passphrase vault is opened now or not at all.
  if (passphrase.value === null && (await readProtection(ctx.dataDir)) === 'passphrase') {
    return printError(io, ctx.json, {
      code: 'passphrase-required',
      message: `The data folder ${ctx.dataDir} keeps its private keys under a vault passphrase: give it with --vault-passphrase-stdin or in a file named by $CERTGATE_VAULT_PASSPHRASE_FILE.`,
    });
  }
  const instance = await openInstance({
    dataDir: ctx.dataDir,
    vaultPassphrase: passphrase.value,
    gateway: { host, port, backendTimeoutMs: timeoutSeconds * 1000 },
    admin: flag(ctx.parsed, 'no-admin') ? false : { port: adminPort, rendererDir },
  });
  if (!instance.ok) return printError(io, ctx.json, instance.error);
  // Listen for the stop signal before the banner says "ready": a SIGTERM sent as soon as it is read must
  // close the instance cleanly, not meet Node's default action (found: 2 in 40 under load were killed so).
  const stopSignal = untilStopSignal(signals);
  const { gatewayUrl, adminUrl, adminToken } = instance.value;
  const info = await instance.value.operations['app.info']({});
  const vault = info.ok ? info.value.vault : null;
  const apis = await instance.value.operations['apis.list']({});
  const security = new Map<string, string>();
  for (const api of apis.ok ? apis.value : []) {
    const s = await instance.value.operations['security.get']({ apiId: api.id });
    security.set(api.id, !s.ok ? '?' : s.value.type === 'certificate' ? `certificate ${s.value.certificateId}` : s.value.type);
  }
  if (ctx.json) {
    io.stdout.write(`${JSON.stringify({ gatewayUrl, adminUrl, consoleUrl: adminUrl && rendererDir ? `${adminUrl}/#token=${adminToken}` : null, dataDir: ctx.dataDir, vault })}\n`);
  } else {
    io.stdout.write(`CertGate is serving the data folder ${ctx.dataDir}\n`);
    io.stdout.write(`Vault: ${vaultLine(vault)}\n`);
    io.stdout.write(`Gateway: ${gatewayUrl}\n`);
    if (adminUrl) {
      io.stdout.write(`Admin API: ${adminUrl} (bearer token in ${path.join(ctx.dataDir, TOKEN_FILE)})\n`);
      if (rendererDir) io.stdout.write(`Console: ${adminUrl}/#token=${adminToken}\n`);
      else io.stdout.write('Console: not built yet; run "npm run build" to open the console in a browser.\n');
    }
    const list = apis.ok ? apis.value : [];
    io.stdout.write(list.length === 0 ? 'APIs: none yet (certgate api create …)\n' : `APIs:\n${list.map((a) => `  ${gatewayUrl}/${a.path} -> ${a.serviceUrl} (${security.get(a.id)})`).join('\n')}\n`);
  }
  await stopSignal;
  if (!ctx.json) io.stdout.write('Stopping: letting calls in flight finish…\n');
  await instance.value.close();
  return 0;
}

/** The banner's words for how private keys are protected. */
export function vaultLine(vault: AppInfo['vault'] | null): string {
  if (vault === null) return 'unknown';
  return vault.protection === 'passphrase'
    ? `passphrase (private keys open with the vault passphrase; no OS keychain)${vault.locked ? ', locked' : ''}`
    : 'OS keychain';
}

function portOption(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}
