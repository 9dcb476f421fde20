/**
 * The TLS step of a diagnosis: what the handshake showed (version, cipher, the server's chain) and whether
 * the server passes the API's checks (chain against its CA list and the system roots, name), judged here
 * rather than by refusing the handshake, so the chain is always shown.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Diagnosis, DiagnosisProblem, DiagnosisStep } from '../../../preload/contract';
import type { RouteConfig } from '../gateway/types';
import { serverChain } from './certificates';
import { nameProblem, untrustedProblems } from './explain';
import type { ProbeTls } from './probe';

/** The host as the name check sees it: the SNI name, or the IP literal. */
export interface TlsHost {
  readonly name: string;
  readonly isIp: boolean;
}

/** The back end's name check: null when it passes, else the reason. */
function nameCheck(handshake: ProbeTls, host: TlsHost): string | null {
  if (!handshake.peer) return 'The back end sent no certificate.';
  try {
    const err = tls.checkServerIdentity(host.name, handshake.peer);
    return err ? ((err as Error & { reason?: string }).reason ?? err.message) : null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The trusted CAs the gateway uses for this route: the system roots plus the API's own. */
export function trustedCas(route: RouteConfig): readonly string[] | undefined {
  return route.tls.caPems.length > 0 ? [...tls.rootCertificates, ...route.tls.caPems] : undefined;
}

/** Whether the server passes the checks this API turns on (only then do credentials go to it). */
export function passesRouteChecks(handshake: ProbeTls | null, route: RouteConfig, host: TlsHost): boolean {
  if (!handshake) return true; // plain HTTP: the gateway sends credentials too
  if (route.tls.validateCertificateChain && !handshake.authorized) return false;
  return !route.tls.validateCertificateName || nameCheck(handshake, host) === null;
}

/** The TLS step's result. */
export interface TlsEvaluation {
  readonly tls: NonNullable<Diagnosis['tls']>;
  readonly step: DiagnosisStep;
  readonly problems: readonly DiagnosisProblem[];
}

/** Judge a completed handshake against the route's settings. */
export function evaluateHandshake(handshake: ProbeTls, durationMs: number, route: RouteConfig, host: TlsHost, now: Date): TlsEvaluation {
  const chain = serverChain(handshake.peer);
  const leaf = chain[0];
  const nameError = nameCheck(handshake, host);
  // OpenSSL's verdict against the API's CA list and the system roots; the dates only explain it.
  const chainValid = handshake.authorized;
  const chainProblems = chainValid ? [] : untrustedProblems(chain, handshake.authorizationError, now);
  const problems: DiagnosisProblem[] = [];
  const warnings: string[] = [];
  if (!chainValid) {
    if (route.tls.validateCertificateChain) problems.push(...chainProblems);
    else warnings.push(...chainProblems.map((p) => p.message), 'This API does not validate the chain, so the gateway calls it anyway.');
  }
  if (nameError !== null) {
    const mismatch = nameProblem(host.name, host.isIp, leaf);
    if (route.tls.validateCertificateName) problems.push(mismatch);
    else warnings.push(mismatch.message, 'This API does not validate the name, so the gateway calls it anyway.');
  }
  const parts = [
    [handshake.version, handshake.cipher].filter(Boolean).join(', ') || 'TLS',
    leaf ? `certificate ${leaf.subject}, issued by ${leaf.issuer}, valid until ${leaf.notAfter.slice(0, 10)}` : 'no server certificate',
    chainValid ? 'chain trusted' : `chain not trusted (${handshake.authorizationError ?? 'unknown reason'})`,
    nameError === null ? `name ${host.name} matches` : `name ${host.name} does not match`,
  ];
  const detail = `${parts.join('; ')}.${warnings.length > 0 ? ` ${warnings.join(' ')}` : ''}`;
  return {
    tls: {
      version: handshake.version,
      cipher: handshake.cipher,
      serverChain: chain,
      chainValid,
      chainError: chainValid ? null : handshake.authorizationError,
      nameValid: handshake.peer ? nameError === null : null,
      nameError,
    },
    step: { step: 'tls', outcome: problems.length > 0 ? 'failed' : warnings.length > 0 ? 'warning' : 'ok', durationMs, detail },
    problems,
  };
}

/** The host of a target for name checks. */
export function tlsHost(hostname: string): TlsHost {
  return { name: hostname, isIp: isIP(hostname) !== 0 };
}
