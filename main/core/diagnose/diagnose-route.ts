/**
 * Diagnose an API's back end the way the gateway would call it: resolve the host, connect, shake hands
 * (capturing the server's chain whatever its trust), find out whether it demands a client certificate and
 * accepts ours, and send one GET. Each step is timed and explained; each failure comes with the likely fix.
 * Bounded by one overall timeout; changes nothing; never throws.
 */
import { promises as dns } from 'node:dns';
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Diagnosis, DiagnosisProblem, DiagnosisStep } from '../../../preload/contract';
import type { RouteConfig } from '../gateway/types';
import { parseTarget, type UpstreamTarget } from '../gateway/upstream-target';
import { evaluateClientCertificate, refusal, refusalOfOurs } from './client-step';
import { connectProblem, exchangeProblem, handshakeProblem, resolveProblem } from './explain';
import { probe, type ProbeOutcome, type ProbeTarget, type ProbeTls } from './probe';
import { evaluateHandshake, passesRouteChecks, tlsHost, trustedCas } from './tls-step';

/** Resolves a host name to its addresses, in the order to try them (like `dns.promises.lookup(host, { all: true })`). */
export type LookupFn = (hostname: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

/** How to diagnose. */
export interface DiagnoseOptions {
  /** The whole diagnosis, every step included, ends within this. */
  readonly timeoutMs: number;
  /** Default: the system resolver (`dns.lookup`), as the gateway uses. */
  readonly lookup?: LookupFn;
  /** Default: the system clock (for certificate dates). */
  readonly now?: () => Date;
}

type StepName = DiagnosisStep['step'];
const STEP_NAMES: readonly StepName[] = ['resolve', 'connect', 'tls', 'client-certificate', 'http'];
const NO_CLIENT_INFO: Diagnosis['clientCertificate'] = { required: null, presented: null, accepted: null, alert: null };

const systemLookup: LookupFn = (hostname) => dns.lookup(hostname, { all: true });

/** Diagnose one route. Never throws: an unexpected error becomes an `internal` problem. */
export async function diagnoseRoute(route: RouteConfig, options: DiagnoseOptions): Promise<Diagnosis> {
  try {
    return await diagnose(route, options);
  } catch (err) {
    return report(route, [], null, NO_CLIENT_INFO, null, [
      { code: 'internal', message: `The diagnosis itself failed (${err instanceof Error ? err.message : String(err)}).`, fix: 'This is a bug in CertGate: please report it.' },
    ]);
  }
}

function report(
  route: RouteConfig,
  steps: readonly DiagnosisStep[],
  tls: Diagnosis['tls'],
  clientCertificate: Diagnosis['clientCertificate'],
  httpStatus: number | null,
  problems: readonly DiagnosisProblem[],
): Diagnosis {
  const done = new Set(steps.map((s) => s.step));
  const all = STEP_NAMES.map((name) => steps.find((s) => s.step === name) ?? { step: name, outcome: 'skipped' as const, durationMs: 0, detail: 'Not run: an earlier step failed.' });
  return {
    apiId: route.apiId,
    url: route.serviceUrl,
    ok: problems.length === 0 && done.size > 0,
    steps: all,
    tls,
    clientCertificate,
    httpStatus,
    problems,
  };
}

async function lookupWithin(hostname: string, lookup: LookupFn, deadline: number): Promise<{ addresses?: readonly string[]; error?: unknown; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const pending = lookup(hostname);
  pending.catch(() => undefined);
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - performance.now()))));
  try {
    const result = await Promise.race([pending, timeout]);
    if (result === 'timeout') return { timedOut: true };
    if (result.length === 0) return { error: Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), timedOut: false };
    return { addresses: result.map((a) => a.address), timedOut: false };
  } catch (error) {
    return { error, timedOut: false };
  } finally {
    clearTimeout(timer);
  }
}

function hostPort(address: string, port: number): string {
  return `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** One diagnosis under way: what it was asked, and the steps and problems found so far. */
interface Run {
  readonly route: RouteConfig;
  readonly options: DiagnoseOptions;
  readonly started: number;
  readonly deadline: number;
  readonly now: Date;
  readonly target: UpstreamTarget;
  /** The name the back end's certificate must match. */
  readonly host: ReturnType<typeof tlsHost>;
  /** The path the one GET asks for. */
  readonly path: string;
  readonly steps: DiagnosisStep[];
  readonly problems: DiagnosisProblem[];
}

/** A step's result, or the diagnosis when it ends the run (an earlier failure skips the rest). */
type Next<T> = { readonly value: T } | { readonly stop: Diagnosis };

/** The two probes: without a client certificate, and with the API's (when it has one and TLS got that far). */
interface Probes {
  readonly bare: ProbeOutcome;
  readonly withCert: ProbeOutcome | null;
  /** The address:port that accepted the connection. */
  readonly where: string;
  /** How the back end refused the connection without a certificate, if it did. */
  readonly bareRefusal: ReturnType<typeof refusal>;
}

async function diagnose(route: RouteConfig, options: DiagnoseOptions): Promise<Diagnosis> {
  const run = startRun(route, options);
  if ('stop' in run) return run.stop;
  const addresses = await resolveStep(run.value);
  if ('stop' in addresses) return addresses.stop;
  const probes = await connectStep(run.value, addresses.value);
  if ('stop' in probes) return probes.stop;
  const tls = tlsStep(run.value, probes.value);
  if ('stop' in tls) return tls.stop;
  const clientCertificate = clientCertificateStep(run.value, probes.value);
  return httpStepOf(run.value, probes.value, tls.value, clientCertificate);
}

function startRun(route: RouteConfig, options: DiagnoseOptions): Next<Run> {
  const started = performance.now();
  let target: UpstreamTarget;
  try {
    target = parseTarget(route.serviceUrl);
  } catch {
    return {
      stop: report(route, [], null, NO_CLIENT_INFO, null, [
        { code: 'validation', message: `The web service URL ${route.serviceUrl} is not an absolute http(s) URL.`, fix: "Fix the API's web service URL." },
      ]),
    };
  }
  const now = (options.now ?? (() => new Date()))();
  const path = target.basePath === '' ? '/' : target.basePath;
  return { value: { route, options, started, deadline: started + options.timeoutMs, now, target, host: tlsHost(target.hostname), path, steps: [], problems: [] } };
}

/** 1. resolve the host name (an IP address needs nothing). */
async function resolveStep(run: Run): Promise<Next<readonly string[]>> {
  const { target, steps } = run;
  if (isIP(target.hostname) !== 0) {
    steps.push({ step: 'resolve', outcome: 'skipped', durationMs: 0, detail: `${target.hostname} is an IP address: nothing to resolve.` });
    return { value: [target.hostname] };
  }
  const found = await lookupWithin(target.hostname, run.options.lookup ?? systemLookup, run.deadline);
  const ms = Math.round(performance.now() - run.started);
  if (!found.addresses) {
    const p = resolveProblem(target.hostname, found.error, found.timedOut, run.options.timeoutMs);
    steps.push({ step: 'resolve', outcome: 'failed', durationMs: ms, detail: p.message });
    return { stop: report(run.route, steps, null, NO_CLIENT_INFO, null, [p]) };
  }
  steps.push({ step: 'resolve', outcome: 'ok', durationMs: ms, detail: `${target.hostname} is ${found.addresses.join(', ')}.` });
  return { value: found.addresses };
}

/** 2. connect: a probe without a client certificate to each address in turn, then one with the API's. */
async function connectStep(run: Run, addresses: readonly string[]): Promise<Next<Probes>> {
  const { route, target } = run;
  const authorization = route.basicAuth ? `Basic ${Buffer.from(`${route.basicAuth.username}:${route.basicAuth.password}`).toString('base64')}` : null;
  const base = { authorization, deadline: run.deadline, ca: trustedCas(route), mayAuthenticate: (h: ProbeTls | null) => passesRouteChecks(h, route, run.host) };
  const probeTarget = (address: string): ProbeTarget => ({ address, port: target.port, secure: target.secure, servername: target.servername, hostHeader: target.hostHeader, path: run.path });
  let bare: ProbeOutcome | null = null;
  let address = addresses[0] ?? target.hostname;
  const failedAddresses: string[] = [];
  for (const candidate of addresses) {
    address = candidate;
    bare = await probe(probeTarget(candidate), { ...base, clientCertificate: null });
    if (bare.failedIn !== 'connect' || bare.timedOut) break;
    failedAddresses.push(hostPort(candidate, target.port));
  }
  if (!bare) throw new Error('no address to connect to');
  const where = hostPort(address, target.port);
  if (bare.failedIn === 'connect') {
    const p = connectProblem(where, bare.error, bare.timedOut, run.options.timeoutMs);
    run.steps.push({ step: 'connect', outcome: 'failed', durationMs: bare.connectMs ?? 0, detail: p.message });
    return { stop: report(route, run.steps, null, NO_CLIENT_INFO, null, [p]) };
  }
  const tried = failedAddresses.length > 0 ? ` (${failedAddresses.join(', ')} did not accept the connection)` : '';
  run.steps.push({ step: 'connect', outcome: 'ok', durationMs: bare.connectMs ?? 0, detail: `Connected to ${where}${tried}.` });
  const bareRefusal = target.secure ? refusal(bare, false) : null;
  const handshakeFailed = bare.failedIn === 'tls' && !bareRefusal;
  const material = route.clientCertificate;
  const withCert =
    material && target.secure && !handshakeFailed && !bare.timedOut
      ? await probe(probeTarget(address), { ...base, clientCertificate: { keyPem: material.keyPem, certPem: material.certPem } })
      : null;
  return { value: { bare, withCert, where, bareRefusal } };
}

/** 3. tls: the back end's certificate, checked as the gateway checks it. */
function tlsStep(run: Run, { bare, withCert, where, bareRefusal }: Probes): Next<Diagnosis['tls']> {
  const { steps, problems } = run;
  if (!run.target.secure) {
    steps.push({ step: 'tls', outcome: 'skipped', durationMs: 0, detail: 'The web service URL is http://: no TLS.' });
    return { value: null };
  }
  const source = bare.tls ? bare : withCert?.tls ? withCert : null;
  if (source?.tls) {
    const evaluation = evaluateHandshake(source.tls, source.handshakeMs ?? 0, run.route, run.host, run.now);
    steps.push(evaluation.step);
    problems.push(...evaluation.problems);
    return { value: evaluation.tls };
  }
  if (bare.failedIn === 'tls' && !bareRefusal) {
    const p = handshakeProblem(where, bare.error, bare.timedOut, run.options.timeoutMs);
    steps.push({ step: 'tls', outcome: 'failed', durationMs: bare.handshakeMs ?? 0, detail: p.message });
    return { stop: report(run.route, steps, null, NO_CLIENT_INFO, null, [...problems, p]) };
  }
  const alert = refusalOfOurs(bare, withCert)?.alert ?? bareRefusal?.alert;
  steps.push({
    step: 'tls',
    outcome: 'failed',
    durationMs: bare.handshakeMs ?? 0,
    detail: `The back end ended the handshake over the client certificate${alert ? ` (TLS alert ${alert})` : ''} before it completed, so its certificate could not be checked.`,
  });
  return { value: null };
}

/** 4. client-certificate: asked for, presented, accepted? */
function clientCertificateStep(run: Run, { bare, withCert }: Probes): Diagnosis['clientCertificate'] {
  const material = run.route.clientCertificate;
  if (!run.target.secure) {
    run.steps.push(
      material
        ? { step: 'client-certificate', outcome: 'warning', durationMs: 0, detail: `This API presents ${material.id}, but over http:// no client certificate is ever sent.` }
        : { step: 'client-certificate', outcome: 'skipped', durationMs: 0, detail: 'The web service URL is http://: no client certificate.' },
    );
    return NO_CLIENT_INFO;
  }
  const evaluation = evaluateClientCertificate(material, bare, withCert, run.now);
  run.steps.push(evaluation.step);
  run.problems.push(...evaluation.problems);
  return evaluation.clientCertificate;
}

/** 5. http: the probe sent with the API's own credentials, and the report. */
function httpStepOf(run: Run, { bare, withCert, where, bareRefusal }: Probes, tls: Diagnosis['tls'], clientCertificate: Diagnosis['clientCertificate']): Diagnosis {
  const { route, steps, problems, options } = run;
  const final = route.clientCertificate && run.target.secure ? (withCert ?? bare) : bare;
  const httpStatus = final.status;
  const refused = run.target.secure && (final === bare ? bareRefusal : refusalOfOurs(bare, final)) !== null;
  if (final !== bare && (final.failedIn === 'connect' || final.failedIn === 'tls') && !refused) {
    // The second connection failed on its own (a flaky back end, or the timeout ran out).
    const p = final.failedIn === 'connect' ? connectProblem(where, final.error, final.timedOut, options.timeoutMs) : handshakeProblem(where, final.error, final.timedOut, options.timeoutMs);
    problems.push(p);
    steps.push({ step: 'http', outcome: 'failed', durationMs: 0, detail: `Not sent: the connection with the client certificate failed. ${p.message}` });
    return report(route, steps, tls, clientCertificate, httpStatus, problems);
  }
  steps.push(httpStep(final, run.path, options.timeoutMs, problems, refused ? (final === bare ? 'without' : 'ours') : null, Boolean(route.basicAuth)));
  return report(route, steps, tls, clientCertificate, httpStatus, problems);
}

function httpStep(
  final: ProbeOutcome,
  path: string,
  timeoutMs: number,
  problems: DiagnosisProblem[],
  refused: 'without' | 'ours' | null,
  basic: boolean,
): DiagnosisStep {
  const withheld = final.credentialsWithheld ? ' Sent without the basic-auth credentials: the back end failed this API\'s certificate checks.' : '';
  if (final.status !== null) {
    const status = `${final.status} ${STATUS_CODES[final.status] ?? ''}`.trim();
    const hint =
      final.status === 401 || final.status === 403
        ? basic && !withheld
          ? ' The back end refused the credentials: check the user name and password in Security.'
          : ' The back end wants credentials or refused them.'
        : final.status >= 400
          ? ' The back end answered, but with an error (some back ends have nothing at the root).'
          : '';
    return { step: 'http', outcome: final.status >= 400 ? 'warning' : 'ok', durationMs: final.requestMs ?? 0, detail: `GET ${path} → ${status}.${hint}${withheld}` };
  }
  const why = refused === 'ours' ? 'the back end refused the client certificate' : 'the back end refuses connections without a client certificate';
  if (final.failedIn !== 'http') {
    return { step: 'http', outcome: 'skipped', durationMs: 0, detail: `Not sent: ${refused ? `during the handshake, ${why}` : 'the connection failed before'}.` };
  }
  if (refused) return { step: 'http', outcome: 'failed', durationMs: final.requestMs ?? 0, detail: `GET ${path} got no answer: ${why}.` };
  const p = exchangeProblem(path, final.error, final.timedOut, timeoutMs);
  problems.push(p);
  return { step: 'http', outcome: 'failed', durationMs: final.requestMs ?? 0, detail: `${p.message}${withheld}` };
}
