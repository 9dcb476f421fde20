/**
 * What every format needs to know about an API's back end: where it is, and how its TLS settings and
 * policy translate (or do not) to a gateway that verifies chain and name together.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { ExportApi, ExportCa } from './types';

/** An API's back end, from its service URL. */
export interface BackendTarget {
  readonly https: boolean;
  /** Host name or IP address, without IPv6 brackets. */
  readonly hostname: string;
  /** Host name or bracketed IPv6 address, as in a URL. */
  readonly urlHost: string;
  readonly port: number;
  /** The Host header the gateway sends: host, and port when it is not the default. */
  readonly hostHeader: string;
  /** The service URL's path, '/' at least. */
  readonly basePath: string;
  readonly isIpAddress: boolean;
}

/** Parse an API's service URL (already validated by the contract: absolute http or https). */
export function backendTarget(serviceUrl: string): BackendTarget {
  const url = new URL(serviceUrl);
  const https = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return {
    https,
    hostname,
    urlHost: url.hostname,
    port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
    hostHeader: url.host,
    basePath: url.pathname === '' ? '/' : url.pathname,
    isIpAddress: isIP(hostname) !== 0,
  };
}

/**
 * Warnings about an API's back-end TLS that hold for gateways which verify the chain and the name in one
 * switch (Kong's `tls_verify`, nginx's `proxy_ssl_verify`). `gateway` names it in the messages.
 */
export function tlsWarnings(api: ExportApi, target: BackendTarget, gateway: string): string[] {
  const out: string[] = [];
  const where = `The API "${api.id}"`;
  if (!target.https) {
    if (api.credential.type === 'certificate') {
      out.push(`${where} calls its back end over http://, so no client certificate can be presented: the certificate is left out.`);
    }
    return out;
  }
  if (api.validateCertificateChain && !api.validateCertificateName) {
    out.push(`${where} checks the back end's chain but not its name; ${gateway} checks both together, so the name is checked too.`);
  }
  if (!api.validateCertificateChain && api.validateCertificateName) {
    out.push(`${where} checks the back end's name but not its chain; ${gateway} cannot check the name alone, so neither is checked.`);
  }
  if (api.validateCertificateChain && api.validateCertificateName && target.isIpAddress) {
    out.push(
      `${where} calls its back end by IP address (${target.hostname}): ${gateway} matches the name against the certificate's DNS names only; use a host name in the service URL.`,
    );
  }
  return out;
}

/** Why a gateway may refuse a CA certificate (not a CA, expired), or null. */
export function caProblem(ca: ExportCa, now: Date): string | null {
  try {
    const x509 = new X509Certificate(ca.pem);
    if (!x509.ca) return 'it is not marked as a CA (basic constraints)';
    if (Date.parse(x509.validTo) < now.getTime()) return `it expired on ${new Date(x509.validTo).toISOString().slice(0, 10)}`;
    return null;
  } catch {
    return 'it cannot be parsed';
  }
}

/** The gateway's request path for an API: '/orders', or '/' for the empty suffix. */
export function publicPath(api: ExportApi): string {
  return `/${api.path}`;
}
