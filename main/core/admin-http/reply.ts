/**
 * What a route answers, as a value, and the one place that writes it with the security headers every
 * response carries. Routes never touch `ServerResponse` except to stream events.
 */
import type { ServerResponse } from 'node:http';
import type { AppError, Result } from '../../../preload/contract';
import { httpStatusFor } from './http-status';

/** The console page's Content-Security-Policy (browser mode). */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A response body: JSON, text of a given type, or bytes of a given type. */
export type ReplyBody =
  | { readonly json: unknown }
  | { readonly text: string; readonly type: string }
  | { readonly bytes: Buffer; readonly type: string };

/** A complete answer to a request. */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: ReplyBody;
}

/** Headers on every response: no sniffing, no referrer, not embeddable, not loadable cross-origin. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Headers of API answers (JSON, events): never cached anywhere. */
export const API_HEADERS: Readonly<Record<string, string>> = { ...COMMON_HEADERS, 'Cache-Control': 'no-store' };

/** Headers of the console's static files; HTML pages add the CSP. */
export function staticHeaders(html: boolean, cacheControl: string): Record<string, string> {
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'Cache-Control': cacheControl };
  if (html) {
    headers['Content-Security-Policy'] = CONSOLE_CSP;
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
  }
  return headers;
}

/** A JSON answer. */
export function jsonReply(status: number, value: unknown, headers?: Readonly<Record<string, string>>): Reply {
  return headers ? { status, headers, body: { json: value } } : { status, body: { json: value } };
}

/** A REST failure: `{"error":{code,message,details}}` with the code's status. */
export function restFailure(error: AppError, headers?: Readonly<Record<string, string>>): Reply {
  return jsonReply(httpStatusFor(error.code), { error }, headers);
}

/** An RPC answer: the Result itself, 200 when ok, the error code's status otherwise. */
export function rpcReply(result: Result<unknown>, headers?: Readonly<Record<string, string>>): Reply {
  return jsonReply(result.ok ? 200 : httpStatusFor(result.error.code), result, headers);
}

/** Write a reply. HEAD answers carry the headers and no body. */
export function writeReply(res: ServerResponse, reply: Reply, method: string | undefined, base: Readonly<Record<string, string>>): void {
  const headers: Record<string, string> = { ...base, ...reply.headers };
  let payload: Buffer | null = null;
  const body = reply.body;
  if (body && 'json' in body) {
    payload = Buffer.from(JSON.stringify(body.json), 'utf8');
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else if (body && 'text' in body) {
    payload = Buffer.from(body.text, 'utf8');
    headers['Content-Type'] = body.type;
  } else if (body) {
    payload = body.bytes;
    headers['Content-Type'] = body.type;
  }
  if (payload && reply.status !== 204 && reply.status !== 304) headers['Content-Length'] = String(payload.length);
  res.writeHead(reply.status, headers);
  if (payload && method !== 'HEAD' && reply.status !== 204 && reply.status !== 304) res.end(payload);
  else res.end();
}
