import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok, type ChangeEvent, type ExpiringCertificate } from '../../../preload/contract';
import { tempDir } from '../../helpers/temp-dir';

const electron = vi.hoisted(() => ({ supported: true, shown: [] as { title: string; body: string }[] }));

vi.mock('electron', () => ({
  Notification: class {
    static isSupported(): boolean {
      return electron.supported;
    }
    constructor(private readonly options: { title: string; body: string }) {}
    show(): void {
      electron.shown.push(this.options);
    }
  },
}));

const { describeExpiry, parseNotifiedState, startExpiryNotifier } = await import('../../../main/shell/expiry-notifier');

const NOW = new Date('2030-01-01T00:00:00.000Z');

function expiring(id: string, threshold: 30 | 7 | 1 | 0, extra: Partial<ExpiringCertificate> = {}): ExpiringCertificate {
  const daysLeft = { 30: 20, 7: 5, 1: 0, 0: -2 }[threshold];
  return {
    certificateId: id,
    subject: `CN=${id}`,
    thumbprint: createHash('sha1').update(id).digest('hex').toUpperCase(),
    which: 'leaf',
    expiringSubject: `CN=${id}`,
    notAfter: new Date(NOW.getTime() + daysLeft * 86_400_000).toISOString(),
    daysLeft,
    threshold,
    usedBy: [{ apiId: 'orders', apiName: 'Orders', reference: 'certificate-id' }],
    ...extra,
  };
}

describe('expiry notifier', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let stateFile: string;
  let current: ExpiringCertificate[];
  let shown: { title: string; body: string }[];
  let timers: { ms: number; run: () => void; cancelled: boolean }[];
  let listeners: Set<(event: ChangeEvent) => void>;
  let warnings: string[];
  /** How many times the notifier asked for expiring certificates: a check asks at once when none is running. */
  let expiringCalls = 0;

  const start = (overrides: Partial<Parameters<typeof startExpiryNotifier>[0]> = {}) =>
    startExpiryNotifier({
      expiring: async ({ withinDays }) => {
        expiringCalls += 1;
        return withinDays === 30 ? ok(current) : fail('validation', 'unexpected window');
      },
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      stateFile,
      now: () => NOW,
      timer: {
        every: (ms, run) => {
          const timer = { ms, run, cancelled: false };
          timers.push(timer);
          return () => (timer.cancelled = true);
        },
      },
      notifier: { isSupported: () => true, show: (n) => shown.push({ ...n }) },
      warn: (message) => warnings.push(message),
      ...overrides,
    });

  beforeEach(async () => {
    dir = await tempDir();
    stateFile = path.join(dir.path, 'expiry-notifications.json');
    current = [];
    shown = [];
    timers = [];
    listeners = new Set();
    warnings = [];
    electron.shown = [];
    electron.supported = true;
  });
  afterEach(async () => dir.remove());

  it('at start, announces each certificate that crossed a threshold once, naming its APIs, and remembers it', async () => {
    current = [expiring('a', 7), expiring('b', 0, { usedBy: [] })];
    const notifier = start();
    await notifier.check();
    expect(shown).toEqual([
      { title: 'Client certificate expires soon', body: expect.stringMatching(/^The client certificate "a" \(….{4}\) expires in 5 days \(2030-01-06\)\. Used by Orders\.$/) },
      { title: 'Client certificate expired', body: expect.stringContaining('"b"') },
    ]);
    expect(shown[1]?.body).toContain('has expired');
    expect(shown[1]?.body).toContain('No API uses it.');
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(state).toEqual({
      version: 1,
      notified: [
        { thumbprint: current[0]!.thumbprint, threshold: 7, at: NOW.toISOString() },
        { thumbprint: current[1]!.thumbprint, threshold: 0, at: NOW.toISOString() },
      ],
    });
    await notifier.stop();
  });

  it('checks every hour, and announces a certificate again only when it crosses the next threshold', async () => {
    current = [expiring('a', 30)];
    const notifier = start();
    await notifier.check();
    expect(timers.map((t) => t.ms)).toEqual([3_600_000]);
    timers[0]!.run();
    await notifier.check();
    expect(shown).toHaveLength(1);
    current = [expiring('a', 7)];
    timers[0]!.run();
    await notifier.check();
    expect(shown.map((n) => n.body)).toEqual([expect.stringContaining('expires in 20 days'), expect.stringContaining('expires in 5 days')]);
    await notifier.stop();
  });

  it('remembers across restarts; a corrupt or invalid file starts fresh without crashing', async () => {
    current = [expiring('a', 1)];
    const first = start();
    await first.check();
    await first.stop();
    expect(shown).toHaveLength(1);
    expect(shown[0]?.body).toContain('expires today');
    const again = start();
    await again.check();
    expect(shown).toHaveLength(1);
    await again.stop();

    await writeFile(stateFile, '{ not json');
    const afterCorrupt = start();
    await afterCorrupt.check();
    expect(shown).toHaveLength(2);
    expect(JSON.parse(await readFile(stateFile, 'utf8')).notified).toHaveLength(1);
    await afterCorrupt.stop();
    expect(warnings).toEqual([]);

    expect(parseNotifiedState({ notified: [{ thumbprint: 'abc', threshold: 7, at: 'x' }, { thumbprint: 'A'.repeat(40), threshold: 5, at: 'x' }] })).toEqual([]);
    expect(parseNotifiedState([1, 2])).toEqual([]);
    expect(parseNotifiedState({ notified: [{ thumbprint: 'A'.repeat(40), threshold: 30, at: 'x' }] })).toHaveLength(1);
  });

  it('checks after certificate changes, not after other changes; nothing after stop', async () => {
    // Stopped at once: the first check announces nothing.
    current = [expiring('z', 0)];
    await start().stop();
    expect(shown).toEqual([]);
    current = [];
    const notifier = start();
    await notifier.check();
    current = [expiring('a', 7)];
    const calls = expiringCalls;
    for (const l of listeners) l({ kind: 'policy', action: 'updated', id: 'orders' });
    // No check is running, so one started by the event would have asked for the list already: none did.
    expect(expiringCalls).toBe(calls);
    expect(shown).toEqual([]);
    for (const l of listeners) l({ kind: 'certificate', action: 'created', id: 'a' });
    await vi.waitFor(() => expect(shown).toHaveLength(1));
    await notifier.stop();
    expect(listeners.size).toBe(0);
    expect(timers.map((t) => t.cancelled)).toEqual([true, true]);
    current = [expiring('c', 0)];
    await notifier.check();
    expect(shown).toHaveLength(1);
  });

  it('many crossings at once: a few notifications, then one summary; all remembered', async () => {
    current = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => expiring(id, 30));
    const notifier = start();
    await notifier.check();
    expect(shown.map((n) => n.title)).toEqual([...Array(3).fill('Client certificate expires soon'), 'Client certificates expire soon']);
    expect(shown[3]?.body).toContain('3 more client certificates');
    expect(JSON.parse(await readFile(stateFile, 'utf8')).notified).toHaveLength(6);
    await notifier.stop();
  });

  it('a failed check is reported and retried later, never thrown', async () => {
    const notifier = start({ expiring: async () => fail('store-corrupt', 'The store cannot be read.') });
    await notifier.check();
    const throwing = start({ expiring: () => Promise.reject(new Error('boom')) });
    await throwing.check();
    expect(warnings).toEqual([expect.stringContaining('The store cannot be read.'), expect.stringContaining('The store cannot be read.'), expect.stringContaining('boom'), expect.stringContaining('boom')]);
    expect(shown).toEqual([]);
    await notifier.stop();
    await throwing.stop();
  });

  it('uses Electron notifications by default, and shows none where they are not supported', async () => {
    current = [expiring('a', 30)];
    electron.supported = false;
    const unsupported = start({ notifier: undefined });
    await unsupported.check();
    await unsupported.stop();
    expect(electron.shown).toEqual([]);
    electron.supported = true;
    const supported = start({ notifier: undefined });
    await supported.check();
    await supported.stop();
    expect(electron.shown).toEqual([expect.objectContaining({ title: 'Client certificate expires soon' })]);
  });

  it('names the CA certificate when the chain expires first', () => {
    const words = describeExpiry(expiring('a', 7, { which: 'chain', expiringSubject: 'CN=Issuing CA' }));
    expect(words.body).toMatch(/^A CA certificate \(CN=Issuing CA\) in the chain of "a" \(….{4}\) expires in 5 days/);
  });
});
