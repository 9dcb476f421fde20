/**
 * The back end a route points at, parsed once per configuration, and the identity of its connection pool.
 * Free of undici on purpose: the CLI's diagnostics use it, and `certgate cert list` must load without the
 * HTTP client (test/main/cli/built-cli.test.ts).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { RouteConfig } from './types';

/** The back end a route points at. */
export interface UpstreamTarget {
  readonly secure: boolean;
  /** `scheme://host[:port]` as in the service URL (the pool's origin). */
  readonly origin: string;
  /** Host name for DNS / connect (IPv6 without brackets). */
  readonly hostname: string;
  readonly port: number;
  /** Host header value (`host[:port]` as in the service URL). */
  readonly hostHeader: string;
  /** Service URL path without trailing slash ('' for the root); a query in the service URL is not used. */
  readonly basePath: string;
  /** SNI name: the host name, or '' for an IP address (no SNI). */
  readonly servername: string;
}

/** Parse a route's service URL. Throws on a URL that is not absolute http(s). */
export function parseTarget(serviceUrl: string): UpstreamTarget {
  const u = new URL(serviceUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`Unsupported service URL scheme ${u.protocol}`);
  const secure = u.protocol === 'https:';
  const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const path = u.pathname.replace(/\/+$/, '');
  return {
    secure,
    origin: `${u.protocol}//${u.host}`,
    hostname,
    port: u.port === '' ? (secure ? 443 : 80) : Number(u.port),
    hostHeader: u.host,
    basePath: path,
    servername: isIP(hostname) === 0 ? hostname : '',
  };
}

/** The identity of a pool: routes with equal keys share connections across configuration changes. */
export function poolKey(route: RouteConfig, target: UpstreamTarget): string {
  if (!target.secure) return `${route.apiId}\n${target.origin}`;
  const ca = createHash('sha256');
  for (const pem of route.tls.caPems) ca.update(pem).update('\0');
  return [
    route.apiId,
    target.origin,
    route.clientCertificate?.thumbprint ?? '-',
    route.tls.validateCertificateChain ? 'chain' : 'no-chain',
    route.tls.validateCertificateName ? 'name' : 'no-name',
    ca.digest('hex'),
  ].join('\n');
}
