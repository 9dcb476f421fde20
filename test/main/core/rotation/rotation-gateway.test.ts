import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EchoResponse } from '../../../../main/core/echo-backend';
import { startEchoBackend, type EchoBackend } from '../../../../main/core/echo-backend';
import { Gateway } from '../../../../main/core/gateway/gateway';
import { testCore } from '../../../helpers/core';
import { makeClientPfx, thumbprintOf, type MadeCertificate } from '../../../helpers/openssl';
import { tempDir } from '../../../helpers/temp-dir';
import { call, eventually } from '../gateway/helpers';

// The preflight runs the real `apis.diagnose` once main/core/diagnose exists; until then a fake that passes.
vi.mock('../../../../main/core/services/diagnose-service', async (importOriginal) => {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const real = existsSync(fileURLToPath(new URL('../../../../main/core/diagnose/diagnose.ts', import.meta.url)));
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

/** One call through the gateway, as the load sees it. */
interface Sample {
  readonly startedIn: Phase;
  readonly endedIn: Phase;
  readonly status: number;
  readonly thumbprint: string | null;
  readonly body: string;
}
type Phase = 'before' | 'rotating' | 'rotated' | 'rolling-back' | 'rolled-back';

describe('rotation under load through the real gateway', () => {
  let fixtures: Awaited<ReturnType<typeof tempDir>>;
  let t: Awaited<ReturnType<typeof testCore>>;
  let gateway: Gateway;
  let echo: EchoBackend;
  let base: string;
  let oldCert: MadeCertificate;
  let newCert: MadeCertificate;

  beforeAll(async () => {
    fixtures = await tempDir();
    oldCert = makeClientPfx(fixtures.path, 'client1', 'pw-old', { days: 10 });
    newCert = makeClientPfx(fixtures.path, 'client1-next', 'pw-new', { days: 400 });
    echo = await startEchoBackend({ acceptAnyClientCertificate: true, caOutDir: fixtures.path });
    t = await testCore();
    gateway = new Gateway({ port: 0 });
    const started = await gateway.start();
    if (!started.ok) throw new Error(started.error.message);
    base = started.value.url;
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
          const r = await slowCall(agent, base, `/echo/load/${n}/${i}`, 20 + ((n * 7 + i * 13) % 60));
          const thumbprint = r.status === 200 ? ((JSON.parse(r.body) as EchoResponse).clientCertificate?.thumbprint ?? null) : null;
          samples.push({ startedIn, endedIn: phase, status: r.status, thumbprint, body: r.status === 200 ? '' : r.body });
        } catch (err) {
          samples.push({ startedIn, endedIn: phase, status: 0, thumbprint: null, body: String(err) });
        }
      }
    };
    const load = Array.from({ length: WORKERS }, (_, n) => worker(n));
    await eventually(() => samples.length >= 2 * WORKERS, 'the load to be running', 20_000);
    const inFlightAtSwitch = gateway.connectionStats().inFlight;

    phase = 'rotating';
    const rotated = await t.core.operations['certificates.rotate']({ id: 'client1', data: newCert.pfx.toString('base64'), password: 'pw-new' });
    phase = 'rotated';
    expect(rotated.ok && rotated.value.preflight.map((p) => [p.apiId, p.ok])).toEqual([['echo', true]]);
    expect(rotated.ok && rotated.value.switched).toEqual(['echo']);
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

    console.log('DEBUG', inFlightAtSwitch, samples.length, samples.filter((s) => s.startedIn === 'before' && s.endedIn !== 'before').length);
    stop = true;
    await Promise.all(load);
    agent.destroy();
    expect(inFlightAtSwitch).toBeGreaterThanOrEqual(WORKERS * 0.8);
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    const between = samples.filter((s) => s.startedIn === 'rotated' && s.endedIn === 'rotated');
    const after = samples.filter((s) => s.startedIn === 'rolled-back');
    expect(between.length).toBeGreaterThan(WORKERS);
    expect(new Set(between.map((s) => s.thumbprint))).toEqual(new Set([newThumbprint]));
    expect(new Set(after.map((s) => s.thumbprint))).toEqual(new Set([oldThumbprint]));
    // Calls in flight at the switch finish, on the old certificate.
    const straddling = samples.filter((s) => s.startedIn === 'before' && s.endedIn !== 'before');
    expect(straddling.length).toBeGreaterThan(0);
    expect(new Set(samples.filter((s) => s.startedIn === 'before').map((s) => s.thumbprint))).toEqual(new Set([oldThumbprint]));
  });
});
