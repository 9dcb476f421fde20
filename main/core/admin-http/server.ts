/**
 * The admin HTTP server of `certgate serve` and the app: the RPC transport of the browser console and the CLI,
 * the cloud-shaped REST resources, the event stream, and the built console itself. Loopback only, bearer
 * token on every API route, Host and Origin checked on every request, no CORS at all.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, ok, type AppError, type Operations, type Result, type Subscriptions } from '../../../preload/contract';
import { apiPolicyRoutes } from './api-policy-routes';
import { operationRoutes } from './operation-routes';
import { apiRoutes } from './api-routes';
import { certificateRoutes } from './certificate-routes';
import type { EventStreams } from './event-stream';
import { gatewayRoutes } from './gateway-routes';
import { API_HEADERS, restFailure, rpcReply, writeReply, type Reply } from './reply';
import { hasBody } from './request-body';
import { allowedHosts, allowedOrigins, bearerChecker, checkHostAndOrigin, loopbackAddress, UNAUTHORIZED } from './request-guards';
import { matchRoute, type Route, type RouteStyle } from './router';
import { rpcRoutes } from './rpc-routes';
import { serveStatic } from './static-files';

/** What the admin server is built from. */
export interface AdminServerOptions {
  readonly operations: Operations;
  readonly subscribe: <C extends keyof Subscriptions>(channel: C, listener: (e: Subscriptions[C]) => void) => () => void;
  /** Default '127.0.0.1'. Only loopback addresses (127.0.0.0/8, ::1): anything else throws. */
  readonly host?: string;
  /** Default 8788; 0 picks a free port. */
  readonly port?: number;
  /** The bearer token (see loadOrCreateToken); at least 16 characters. */
  readonly token: string;
  /** The built renderer (index.html and its assets) served at '/', or null for the API alone. */
  readonly rendererDir?: string | null;
}

/** A running admin server. */
export interface AdminServer {
  /** e.g. "http://127.0.0.1:8788" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, end event streams, wait for requests in flight (bounded), then return. */
  close(): Promise<void>;
}

/** The default admin port (the gateway's is 8787). */
export const DEFAULT_ADMIN_PORT = 8788;

/** First path segments that belong to the API (token required); everything else is the console's files. */
const API_ROOTS: ReadonlySet<string> = new Set(['_rpc', '_events', 'certificates', 'apis', 'policies', 'gateway']);

/** How long close() lets requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 2_000;

const ROUTES: readonly Route[] = [...rpcRoutes(), ...certificateRoutes(), ...apiRoutes(), ...apiPolicyRoutes(), ...operationRoutes(), ...gatewayRoutes()];

/**
 * Start the admin server. A port that is taken (or not allowed) is an expected failure: `validation`
 * with a message naming the port. A host that is not loopback, or a short token, is a programming error: it throws.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<Result<AdminServer>> {
  const address = loopbackAddress(options.host ?? '127.0.0.1');
  const port = options.port ?? DEFAULT_ADMIN_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`The admin port must be an integer from 0 to 65535, not ${port}.`);
  if (typeof options.token !== 'string' || options.token.length < 16) throw new Error('The admin token must have at least 16 characters.');

  const server = createServer();
  const listened = await listen(server, address, port);
  if (!listened.ok) return listened;
  const actualPort = (server.address() as AddressInfo).port;
  const hosts = allowedHosts(address, actualPort);
  const state: ServerState = {
    options,
    hosts,
    origins: allowedOrigins(hosts),
    isAuthorized: bearerChecker(options.token),
    streams: new Set(),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, state).catch(() => answerBug(res));
  });

  let closing: Promise<void> | null = null;
  return ok({
    url: `http://${address.includes(':') ? `[${address}]` : address}:${actualPort}`,
    port: actualPort,
    close: () => (closing ??= closeServer(server, state.streams)),
  });
}

interface ServerState {
  readonly options: AdminServerOptions;
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;
  readonly isAuthorized: (header: string | undefined) => boolean;
  readonly streams: EventStreams;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  const method = req.method ?? 'GET';
  const target = req.url ?? '';
  const url = target.startsWith('/') ? parseTarget(target) : null;
  if (url === null) return send(req, res, failure('rest', { code: 'validation', message: 'The request target must be a path.' }));
  const style: RouteStyle = url.pathname.startsWith('/_rpc/') ? 'rpc' : 'rest';

  const refused = checkHostAndOrigin(req, state.hosts, state.origins);
  if (refused) return send(req, res, failure(style, refused));

  if (!API_ROOTS.has(url.pathname.split('/')[1] ?? '')) return send(req, res, await staticReply(method, url.pathname, state.options.rendererDir ?? null));

  if (!state.isAuthorized(req.headers.authorization)) {
    return send(req, res, failure(style, UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer realm="certgate"' }));
  }
  const match = matchRoute(ROUTES, method, url.pathname);
  switch (match.kind) {
    case 'none':
      return send(req, res, failure(style, { code: 'not-found', message: `There is no resource at ${url.pathname}.` }));
    case 'bad-path':
      return send(req, res, failure(style, { code: 'validation', message: 'The path is not correctly percent-encoded.' }));
    case 'method-not-allowed':
      return send(req, res, {
        ...failure(match.route.style, { code: 'validation', message: `${method} is not allowed here; use ${match.allow.join(', ')}.` }),
        status: 405,
        headers: { Allow: match.allow.join(', ') },
      });
    case 'found': {
      const { options, streams } = state;
      const signal = abortWhenClosed(res);
      const reply = await match.handler({ req, res, url, params: match.params, operations: options.operations, subscribe: options.subscribe, streams, signal });
      if (reply) send(req, res, reply);
    }
  }
}

/** A signal aborted when the connection closes before the answer was sent (the client went away). */
function abortWhenClosed(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The target as a URL on a placeholder origin (never the Host header's), so only the path and query count. */
function parseTarget(target: string): URL | null {
  try {
    return new URL(`http://admin.invalid${target}`);
  } catch {
    return null;
  }
}

async function staticReply(method: string, pathname: string, rendererDir: string | null): Promise<Reply> {
  if (method !== 'GET' && method !== 'HEAD') {
    return { ...failure('rest', { code: 'validation', message: `${method} is not allowed here; use GET.` }), status: 405, headers: { Allow: 'GET, HEAD' } };
  }
  const found = rendererDir === null ? null : await serveStatic(rendererDir, pathname);
  if (found) return found;
  const message = rendererDir === null ? 'This server has no console files (it runs without a renderer).' : `There is no file at ${pathname}.`;
  return failure('rest', { code: 'not-found', message });
}

function failure(style: RouteStyle, error: AppError, headers?: Readonly<Record<string, string>>): Reply {
  return style === 'rpc' ? rpcReply(fail(error.code, error.message, error.details), headers) : restFailure(error, headers);
}

/** Write a reply; a request whose body was not read (refused early) gets its connection closed, not drained. */
function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const headers = hasBody(req) && !req.complete ? { ...reply.headers, Connection: 'close' } : reply.headers;
  writeReply(res, headers ? { ...reply, headers } : reply, req.method, API_HEADERS);
}

/** A thrown exception is a bug: answer a plain `internal` error, never the exception itself. */
function answerBug(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const error: AppError = { code: 'internal', message: 'CertGate hit an unexpected problem answering this request. Please report it.' };
  writeReply(res, { ...restFailure(error), headers: { Connection: 'close' } }, undefined, API_HEADERS);
}

function listen(server: Server, host: string, port: number): Promise<Result<null>> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        resolve(fail('validation', `Port ${port} is in use on ${host}: stop what uses it, or choose another admin port.`, { port }));
      } else if (err.code === 'EACCES') {
        resolve(fail('validation', `This process may not listen on port ${port}: choose a port above 1023.`, { port }));
      } else {
        resolve(fail('internal', `The admin server could not listen on ${host}:${port}.`, { port, reason: err.code ?? err.message }));
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(ok(null));
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

function closeServer(server: Server, streams: EventStreams): Promise<void> {
  return new Promise((resolve) => {
    for (const stream of [...streams]) stream.close();
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
