/**
 * Who may talk to the admin server: only pages and programs that reach it by its own loopback address
 * (no DNS rebinding), from its own origin (no cross-site requests), with the bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { AppError } from '../../../preload/contract';

/**
 * The canonical form of a loopback address ('127.x.y.z' or '::1'); anything else is a programming error,
 * since the admin API must never be reachable from another machine.
 */
export function loopbackAddress(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIPv4(bare) && bare.split('.')[0] === '127') return bare;
  if (isIPv6(bare) && IPV6_LOOPBACK.check(bare, 'ipv6')) return '::1';
  throw new Error(
    `The admin server listens on loopback addresses only (127.0.0.0/8 or ::1), not "${host}": it must never be reachable from another machine.`,
  );
}

const IPV6_LOOPBACK = new BlockList();
IPV6_LOOPBACK.addAddress('::1', 'ipv6');

/** The Host header values the server answers to: its own address and port, and `localhost` for the usual ones. */
export function allowedHosts(address: string, port: number): ReadonlySet<string> {
  const own = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const hosts = new Set([own]);
  if (address === '127.0.0.1' || address === '::1') hosts.add(`localhost:${port}`);
  return hosts;
}

/** The server's own origins (`http://` + each allowed host). */
export function allowedOrigins(hosts: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...hosts].map((h) => `http://${h}`));
}

/** A `forbidden` error when the Host or Origin header is not the server's own, else null. */
export function checkHostAndOrigin(req: IncomingMessage, hosts: ReadonlySet<string>, origins: ReadonlySet<string>): AppError | null {
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) {
    return {
      code: 'forbidden',
      message: `This server answers only to ${[...hosts].join(' or ')} in the Host header; the request named another host.`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) {
    return { code: 'forbidden', message: 'Cross-site requests are refused: the Origin header is not this server’s own.' };
  }
  return null;
}

/** A checker of `Authorization: Bearer <token>` that compares in constant time. */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  const expected = sha256(token);
  return (header) => {
    const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    const provided = match?.[1];
    if (provided === undefined) return false;
    return timingSafeEqual(sha256(provided), expected);
  };
}

/** The `unauthorized` error, with a hint that does not say whether a token was close. */
export const UNAUTHORIZED: AppError = {
  code: 'unauthorized',
  message: 'A valid token is required: send "Authorization: Bearer <token>" (certgate serve prints it, and keeps it in the data folder).',
};

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
