import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EchoResponse } from '../../../../main/cli/tools/echo-backend';
import { startEchoBackend, type EchoBackend } from '../../../../main/cli/tools/echo-backend';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { call, eventually } from '../gateway/helpers';

// The preflight runs the real `apis.diagnose` once main/core/diagnose exists; until then a fake that passes.
vi.mock('../../../../main/core/services/diagnose-service', async (importOriginal) => {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const real = existsSync(fileURLToPath(new URL('../../../../main/core/diagnose', import.meta.url)));
  return real ? importOriginal() : { diagnoseOperations: (await import('./fake-diagnose')).fakeDiagnoseOperations };
});

const WORKERS = 100;

/**
 * A POST whose body arrives in two parts `holdMs` apart: the call stays in flight at the gateway (and on
 * its back-end connection) meanwhile, as a slow upload would.
 */
function slowCall(agent: http.Agent, base: string, path: string, holdMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', headers: { 'content-type': 'text/plain' }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.write('first part;');
    setTimeout(() => req.end('last part'), holdMs);
  });
}

/** One call through the gateway, as the load saw it: which step of the test it started and ended in. */
interface Sample {
  readonly startedIn: Phase;
  readonly endedIn: Phase;
  readonly status: number;
  readonly thumbprint: string | null;
  readonly body: string;
}
type Phase = 'before' | 'rotating' | 'rotated' | 'rolling-back' | 'rolled-back';

/** A moment the gateway's configuration changed the API's certificate, and its calls in flight then. */
interface Switch {
  readonly certificateId: string | null;
  readonly wall: number;
  readonly inFlight: number;
}

describe('rotation under load through the real gateway', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let t: Awaited<ReturnType<typeof testCore>>;
  let gateway: Gateway;
  let echo: EchoBackend;
  let base: string;
  let oldCert: MadeCertificate;
  let newCert: MadeCertificate;
  const switches: Switch[] = [];

  beforeAll(async () => {
    fixtures = await tempDir();
    oldCert = makeClientPfx(fixtures.path, 'client1', 'pw-old', { days: 10 });
    newCert = makeClientPfx(fixtures.path, 'client1-next', 'pw-new', { days: 400 });
    echo = await startEchoBackend({ acceptAnyClientCertificate: true, caOutDir: fixtures.path });
    t = await testCore();
    gateway = new Gateway({ port: 0, trafficLogSize: 20_000 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
    // Note when the gateway's certificate for the API changes, and how many calls are in flight then.
    const apply = gateway.apply.bind(gateway);
    gateway.apply = (config) => {
      const certificateId = config.routes.find((r) => r.apiId === 'echo')?.clientCertificate?.id ?? null;
      if (certificateId !== switches.at(-1)?.certificateId) switches.push({ certificateId, wall: Date.now(), inFlight: gateway.connectionStats().inFlight });
      apply(config);
    };
    await t.core.attachGateway(gateway);
    const ops = t.core.operations;
    const ca = await ops['caCertificates.upload']({ id: 'echo-ca', pem: echo.caPem });
    if (!ca.ok) throw new Error(ca.error.message);
    expect((await ops['certificates.upload']({ data: oldCert.pfx.toString('base64'), password: 'pw-old' })).ok).toBe(true);
    const api = await ops['apis.create']({ id: 'echo', displayName: 'Echo', path: 'echo', serviceUrl: echo.url, backendTls: { trustedCaCertificateIds: ['echo-ca'] } });
    if (!api.ok) throw new Error(api.error.message);
    expect((await ops['security.set']({ apiId: 'echo', security: { type: 'certificate', certificateId: 'client1' } })).ok).toBe(true);
  });

  afterAll(async () => {
    await t?.core.attachGateway(null);
    await gateway?.stop();
    await echo?.close();
    await t?.remove();
    await fixtures?.remove();
  });

  const presented = async (): Promise<string | null> => {
    const r = await call(base, '/echo/probe');
    expect(r.status).toBe(200);
    return r.json<EchoResponse>().clientCertificate?.thumbprint ?? null;
  };

  it(`${WORKERS} calls in flight while rotating and rolling back: none fails, each switch applies at once`, async () => {
    const oldThumbprint = thumbprintOf(oldCert.certPem);
    const newThumbprint = thumbprintOf(newCert.certPem);
    expect(await presented()).toBe(oldThumbprint);

    let phase: Phase = 'before';
    let stop = false;
    const samples: Sample[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const worker = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const startedIn = phase;
        try {
          const r = await slowCall(agent, base, `/echo/load/${n}/${i}`, 200 + ((n * 7 + i * 13) % 200));
          const thumbprint = r.status === 200 ? ((JSON.parse(r.body) as EchoResponse).clientCertificate?.thumbprint ?? null) : null;
          samples.push({ startedIn, endedIn: phase, status: r.status, thumbprint, body: r.status === 200 ? '' : r.body });
        } catch (err) {
          samples.push({ startedIn, endedIn: phase, status: 0, thumbprint: null, body: String(err) });
        }
      }
    };
    const load = Array.from({ length: WORKERS }, (_, n) => worker(n));
    await eventually(() => samples.length >= 2 * WORKERS, 'the load to be running', 20_000);

    phase = 'rotating';
    const rotated = await t.core.operations['certificates.rotate']({ id: 'client1', data: newCert.pfx.toString('base64'), password: 'pw-new' });
    phase = 'rotated';
    expect(rotated.ok && rotated.value.preflight.map((p) => [p.apiId, p.ok])).toEqual([['echo', true]]);
    expect(rotated.ok && rotated.value.switched).toEqual(['echo']);
    if (existsSync(fileURLToPath(new URL('../../../../main/core/diagnose', import.meta.url)))) {
      // The real diagnosis: it presented the new certificate to the back end, which accepted it.
      expect(rotated.ok && rotated.value.preflight[0]?.diagnosis.clientCertificate).toMatchObject({
        presented: { id: 'client1-2', thumbprint: newThumbprint },
        accepted: true,
      });
    }
    // The very next call presents the new certificate.
    expect(await presented()).toBe(newThumbprint);
    const mark = samples.length;
    await eventually(() => samples.length >= mark + 2 * WORKERS, 'calls on the new certificate', 20_000);

    phase = 'rolling-back';
    const rotation = rotated.ok ? rotated.value.rotation : null;
    const back = await t.core.operations['certificates.rollback']({ rotationId: rotation?.id ?? '' });
    phase = 'rolled-back';
    expect(back.ok).toBe(true);
    expect(await presented()).toBe(oldThumbprint);
    const mark2 = samples.length;
    await eventually(() => samples.length >= mark2 + 2 * WORKERS, 'calls after the rollback', 20_000);

    stop = true;
    await Promise.all(load);
    agent.destroy();
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    // Calls started after an operation returned run on what it switched to.
    const between = samples.filter((s) => s.startedIn === 'rotated' && s.endedIn === 'rotated');
    const after = samples.filter((s) => s.startedIn === 'rolled-back');
    expect(between.length).toBeGreaterThan(WORKERS);
    expect(new Set(between.map((s) => s.thumbprint))).toEqual(new Set([newThumbprint]));
    expect(new Set(after.map((s) => s.thumbprint))).toEqual(new Set([oldThumbprint]));

    // At each switch most workers had a call in flight at the gateway; by the gateway's own log, calls that
    // arrived before a switch finished on the certificate they started with, and later ones used the new one.
    const [toNew, toOld] = switches.slice(-2);
    expect([toNew?.certificateId, toOld?.certificateId]).toEqual(['client1-2', 'client1']);
    expect(toNew!.inFlight).toBeGreaterThanOrEqual(WORKERS / 2);
    expect(toOld!.inFlight).toBeGreaterThanOrEqual(WORKERS / 2);
    const log = gateway.traffic(20_000).filter((e) => e.path.startsWith('/echo/load/'));
    expect(log.length).toBe(samples.length);
    const certificateIds = (from: number, to: number) =>
      new Set(log.filter((e) => Date.parse(e.time) > from && Date.parse(e.time) < to).map((e) => e.certificateId));
    // One millisecond either side: the log's times have millisecond precision.
    expect(certificateIds(0, toNew!.wall - 1)).toEqual(new Set(['client1']));
    expect(certificateIds(toNew!.wall + 1, toOld!.wall - 1)).toEqual(new Set(['client1-2']));
    expect(certificateIds(toOld!.wall + 1, Infinity)).toEqual(new Set(['client1']));
    const straddling = log.filter((e) => Date.parse(e.time) < toNew!.wall - 1 && Date.parse(e.time) + e.durationMs > toNew!.wall + 1);
    expect(straddling.length).toBeGreaterThanOrEqual(WORKERS / 2);
    expect(straddling.every((e) => e.status === 200 && e.thumbprint === oldThumbprint)).toBe(true);
  });
});
