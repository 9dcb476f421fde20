/**
 * Header rewriting for the proxy, on Node's flat raw header arrays (`[name, value, name, value, ...]`):
 * they keep the original case and repeated headers, and need no object per request.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { HeaderAction } from './types';

/** Hop-by-hop headers (RFC 9110 section 7.6.1) and others a proxy must not forward as they are. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'transfer-encoding',
]);

/**
 * Headers a policy may not set: they frame the message or the connection (RFC 9112 section 6, RFC 9110
 * section 7.6.1), and the gateway writes them itself on each side. The policy check refuses them at save.
 */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** True for a header name (any case) that frames the message: a policy may not set it. */
export function isFramingHeader(name: string): boolean {
  return FRAMING.has(name.trim().toLowerCase());
}

/** What the gateway learnt from the client's headers while copying them. */
export interface InboundScan {
  /** The headers to send upstream (hop-by-hop, Host, Expect and X-Forwarded-* removed). */
  readonly headers: string[];
  readonly host: string;
  readonly forwardedFor: string;
  /** The request has a body (Content-Length > 0 or Transfer-Encoding). */
  readonly hasBody: boolean;
}

/** Names listed in Connection values: those headers are hop-by-hop for this message only. */
function connectionTokens(values: readonly string[]): Set<string> | null {
  let tokens: Set<string> | null = null;
  for (const value of values) {
    for (const t of value.split(',')) {
      const v = t.trim().toLowerCase();
      if (v !== '' && v !== 'close' && v !== 'keep-alive') (tokens ??= new Set()).add(v);
    }
  }
  return tokens;
}

/** The usual Connection values, which name no other header: no token split per message. */
function namesNothing(value: string): boolean {
  switch (value) {
    case 'keep-alive':
    case 'close':
    case 'Keep-Alive':
    case 'Close':
      return true;
    default:
      return false;
  }
}

/** Remove the headers a Connection header named (rare: only then is a second pass paid). */
function dropNamed(headers: string[], connection: readonly string[]): void {
  const named = connectionTokens(connection);
  if (named === null) return;
  let w = 0;
  for (let r = 0; r < headers.length; r += 2) {
    if (named.has((headers[r] as string).toLowerCase())) continue;
    headers[w] = headers[r] as string;
    headers[w + 1] = headers[r + 1] as string;
    w += 2;
  }
  headers.length = w;
}

/**
 * Copy the client's headers for the back end. Framing is undici's: Transfer-Encoding is dropped like every
 * hop-by-hop header (a body of unknown length is sent chunked again by undici), Content-Length is kept for
 * undici to frame the streamed body with (node:http has already checked it).
 */
export function scanInbound(raw: readonly string[]): InboundScan {
  const headers: string[] = [];
  let connection: string[] | null = null;
  let host = '';
  let forwardedFor = '';
  let hasBody = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    switch (lower) {
      case 'host':
        host = value;
        continue;
      case 'content-length':
        if (value !== '0') hasBody = true;
        break;
      case 'transfer-encoding':
        hasBody = true;
        continue;
      case 'connection':
        if (!namesNothing(value)) (connection ??= []).push(value);
        continue;
      case 'expect':
      case 'x-forwarded-proto':
      case 'x-forwarded-host':
        continue;
      case 'x-forwarded-for':
        forwardedFor = forwardedFor === '' ? value : `${forwardedFor}, ${value}`;
        continue;
      default:
        if (HOP_BY_HOP.has(lower)) continue;
    }
    headers.push(name, value);
  }
  if (connection !== null) dropNamed(headers, connection);
  return { headers, host, forwardedFor, hasBody };
}

/** The back end's response head as relayed to the client. */
export interface OutboundHeaders {
  /** Without hop-by-hop and framing headers: the client-side framing is the gateway's. */
  readonly headers: string[];
  /** The back end's Content-Length (llhttp has checked it is one number), or null. */
  readonly contentLength: string | null;
  /** The back end's Transfer-Encoding (all of its lines, joined), or null. */
  readonly transferEncoding: string | null;
}

/**
 * Copy the back end's response headers (undici's raw Buffers: latin1 keeps every byte) for the client,
 * without hop-by-hop headers, those a Connection header names, and Content-Length: the gateway frames the
 * client's answer itself (from the length llhttp verified, or chunked).
 */
export function copyOutbound(raw: readonly (Buffer | string)[]): OutboundHeaders {
  const out: string[] = [];
  let connection: string[] | null = null;
  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    const value = (raw[i + 1] as Buffer).toString('latin1');
    // Most names are neither: test the length before lower-casing.
    const n = name.length;
    if (n === 14 || n === 10 || n === 7 || n === 17 || n === 2 || n === 16 || n === 18 || n === 19) {
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        contentLength = value.trim();
        continue;
      }
      if (HOP_BY_HOP.has(lower)) {
        if (lower === 'connection') {
          if (!namesNothing(value)) (connection ??= []).push(value);
        } else if (lower === 'transfer-encoding') transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
        continue;
      }
    }
    out.push(name, value);
  }
  if (connection !== null) dropNamed(out, connection);
  return { headers: out, contentLength, transferEncoding };
}

/** A header action with its name lower-cased once per configuration. */
export interface PreparedHeaderAction extends HeaderAction {
  readonly lower: string;
}

function isValid(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/**
 * Lower-case names once; drop actions on framing headers (they would corrupt the message) and names or
 * values Node would refuse to send (the core validates policies; this keeps a bad one from failing calls).
 */
export function prepareHeaderActions(actions: readonly HeaderAction[]): readonly PreparedHeaderAction[] {
  const prepared: PreparedHeaderAction[] = [];
  for (const a of actions) {
    const name = a.name.trim();
    const lower = name.toLowerCase();
    if (FRAMING.has(lower) || !isValid(() => validateHeaderName(name))) continue;
    const values = a.values.filter((v) => isValid(() => validateHeaderValue(name, v)));
    prepared.push({ name, existsAction: a.existsAction, values, lower });
  }
  return prepared;
}

function removeHeader(headers: string[], lower: string): void {
  let w = 0;
  for (let r = 0; r < headers.length; r += 2) {
    if ((headers[r] as string).toLowerCase() === lower) continue;
    headers[w] = headers[r] as string;
    headers[w + 1] = headers[r + 1] as string;
    w += 2;
  }
  headers.length = w;
}

function hasHeader(headers: readonly string[], lower: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if ((headers[i] as string).toLowerCase() === lower) return true;
  return false;
}

/**
 * Apply `set-header` statements in order, in place: `override` replaces every value, `skip` sets the header
 * only when it is absent, `append` adds values, `delete` removes it. Each value becomes one header line.
 */
export function applyHeaderActions(headers: string[], actions: readonly PreparedHeaderAction[]): string[] {
  for (const a of actions) {
    switch (a.existsAction) {
      case 'delete':
        removeHeader(headers, a.lower);
        break;
      case 'skip':
        if (!hasHeader(headers, a.lower)) for (const v of a.values) headers.push(a.name, v);
        break;
      case 'append':
        for (const v of a.values) headers.push(a.name, v);
        break;
      case 'override':
        removeHeader(headers, a.lower);
        for (const v of a.values) headers.push(a.name, v);
        break;
      default:
        assertNever(a.existsAction);
    }
  }
  return headers;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected header action ${String(value)}`);
}

/** Set a header (any case) to one value, in place. */
export function setHeader(headers: string[], name: string, value: string): void {
  removeHeader(headers, name.toLowerCase());
  headers.push(name, value);
}
