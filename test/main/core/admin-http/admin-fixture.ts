/**
 * A real core on a temp folder behind a real admin server on a free port, and a raw HTTP client (node:http, so
 * Host, Origin and bodies can be anything). Every response body is recorded, so a suite can check at the end
 * that none ever carried key material or a password.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Core } from '../../../../main/core/app/core';
import { startAdminServer, type AdminServer } from '../../../../main/core/admin-http/server';
import { testCore } from '../../../helpers/core';

/** The bearer token every fixture uses. */
export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

/** A raw HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/** What a request may carry. `auth: false` sends no Authorization header; a string sends that token. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | object;
  readonly auth?: boolean | string;
  /** Send no Host header at all. */
  readonly noHost?: boolean;
}

/** A running admin server over a fresh core. */
export interface AdminFixture {
  readonly core: Core;
  readonly dataDir: string;
  readonly server: AdminServer;
  readonly port: number;
  /** Every response body received so far. */
  readonly bodies: string[];
  request(path: string, options?: RequestOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Start a core and an admin server on port 0. */
export async function startFixture(options: { readonly rendererDir?: string | null; readonly host?: string } = {}): Promise<AdminFixture> {
  const t = await testCore();
  const started = await startAdminServer({
    operations: t.core.operations,
    subscribe: t.core.subscribe,
    port: 0,
    token: TOKEN,
    host: options.host,
    rendererDir: options.rendererDir ?? null,
  });
  if (!started.ok) throw new Error(started.error.message);
  const server = started.value;
  const bodies: string[] = [];
  const host = options.host === '::1' ? '::1' : '127.0.0.1';
  return {
    core: t.core,
    dataDir: t.dir,
    server,
    port: server.port,
    bodies,
    async request(path, requestOptions = {}) {
      const answer = await rawRequest(host, server.port, path, requestOptions);
      bodies.push(answer.text);
      return answer;
    },
    async close() {
      await server.close();
      await t.core.flush();
      await t.remove();
    },
  };
}

/** One request over node:http; JSON bodies get `Content-Type: application/json` unless told otherwise. */
export function rawRequest(host: string, port: number, path: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  let payload: Buffer | null = null;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' || Buffer.isBuffer(options.body) ? Buffer.from(options.body) : Buffer.from(JSON.stringify(options.body));
    if (typeof options.body === 'object' && !Buffer.isBuffer(options.body)) headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  if (options.auth !== false) headers['Authorization'] = `Bearer ${typeof options.auth === 'string' ? options.auth : TOKEN}`;
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, method: options.method ?? 'GET', headers, setHost: options.noHost !== true }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/** A server-sent events reader over node:http. */
export interface EventReader {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly events: { readonly event: string; readonly data: unknown }[];
  /** All text received so far. */
  text(): string;
  /** Wait until an event matches (or fail after a few seconds). */
  waitFor(predicate: (e: { readonly event: string; readonly data: unknown }) => boolean): Promise<{ readonly event: string; readonly data: unknown }>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Open an event stream (authorised with the fixture token). */
export function openEvents(port: number, path: string): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      let all = '';
      const events: { event: string; data: unknown }[] = [];
      const waiters = new Set<() => void>();
      let endResolve: () => void = () => undefined;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        all += chunk;
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown });
        }
        for (const w of [...waiters]) w();
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        text: () => all,
        ended,
        waitFor(predicate) {
          return new Promise((ok, fail) => {
            const check = (): void => {
              const found = events.find(predicate);
              if (!found) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event; received: ${all}`));
            }, 5_000);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
