import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok, type CertificateWithUsage, type ChangeEvent } from '../../../preload/contract';

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

const { describeSyncFailure, startSyncNotifier } = await import('../../../main/shell/sync-notifier');

/** A linked certificate whose last sync failed (`error`: its details), or in sync (`error` null). */
function linked(id: string, error: { code?: 'bad-password' | 'not-found'; message?: string; at?: string; apisAtRisk?: string[] } | null = {}): CertificateWithUsage {
  return {
    id,
    version: 3,
    usedBy: [],
    source: {
      file: `/certs/${id}.pfx`,
      linkedAt: '2030-01-01T00:00:00.000Z',
      state: error ? 'error' : 'ok',
      lastGoodSyncAt: '2030-01-01T00:00:00.000Z',
      syncError: error
        ? { code: error.code ?? 'bad-password', message: error.message ?? 'The password is wrong.', at: error.at ?? '2030-01-02T00:00:00.000Z', apisAtRisk: error.apisAtRisk ?? ['Orders', 'Payments (operation refund)'] }
        : null,
    },
  } as unknown as CertificateWithUsage;
}

/** With the usages `certificates.list` reports (operations' own policies, the global policy). */
function used(c: CertificateWithUsage, usedBy: CertificateWithUsage['usedBy']): CertificateWithUsage {
  return { ...c, usedBy };
}

describe('sync failure notifier', () => {
  let current: CertificateWithUsage[];
  let listeners: Set<(event: ChangeEvent) => void>;
  let warnings: string[];
  const start = () =>
    startSyncNotifier({
      list: async () => ok(current),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      warn: (message) => warnings.push(message),
    });
  const change = () => {
    for (const l of listeners) l({ kind: 'certificate', action: 'updated', id: 'x' });
  };

  beforeEach(() => {
    current = [];
    listeners = new Set();
    warnings = [];
    electron.shown = [];
    electron.supported = true;
  });
  afterEach(() => vi.restoreAllMocks());

  it('announces a failed sync once through Electron, naming the file, the reason and the APIs and operations at risk', async () => {
    current = [linked('good', null), linked('client1')];
    const notifier = start();
    await notifier.check();
    expect(electron.shown).toEqual([
      {
        title: 'Linked certificate not synced',
        body: '"client1" could not take /certs/client1.pfx: The password is wrong. At risk (still on version 3): Orders, Payments (operation refund).',
      },
    ]);
    change();
    await notifier.check();
    expect(electron.shown).toHaveLength(1);
    await notifier.stop();
  });

  it('announces again when the error changes (a new time), and a later failure after a good sync', async () => {
    current = [linked('client1', { at: '2030-01-02T00:00:00.000Z' })];
    const notifier = start();
    await notifier.check();
    current = [linked('client1', { code: 'not-found', message: 'There is no file.', at: '2030-01-03T00:00:00.000Z' })];
    change();
    await notifier.check();
    current = [linked('client1', null)];
    change();
    await notifier.check();
    expect(electron.shown.map((n) => n.body)).toEqual([expect.stringContaining('The password is wrong.'), expect.stringContaining('There is no file.')]);
    current = [linked('client1', { at: '2030-01-04T00:00:00.000Z' })];
    change();
    await notifier.check();
    expect(electron.shown).toHaveLength(3);
    await notifier.stop();
    expect(listeners.size).toBe(0);
  });

  it('many failures at once: a few, then one summary; nothing when notifications are unsupported; list errors are warned', async () => {
    current = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => linked(id));
    const notifier = start();
    await notifier.check();
    expect(electron.shown.map((n) => n.title)).toEqual([...Array(3).fill('Linked certificate not synced'), 'Linked certificates not synced']);
    expect(electron.shown[3]?.body).toBe('3 more linked certificates could not be synced. See Certificates in CertGate.');
    await notifier.stop();

    electron.shown = [];
    electron.supported = false;
    const quiet = startSyncNotifier({ list: async () => ok([linked('z')]), subscribe: () => () => {} });
    await quiet.check();
    expect(electron.shown).toEqual([]);
    await quiet.stop();

    const broken = startSyncNotifier({ list: async () => fail('store-corrupt', 'The store is damaged.'), subscribe: () => () => {}, warn: (m) => warnings.push(m) });
    await broken.check();
    expect(warnings).toContain('CertGate could not check its linked certificates: The store is damaged.');
    await broken.stop();
  });

  it('describes a failure with no API using the certificate', () => {
    expect(describeSyncFailure(linked('lonely', { apisAtRisk: [] })).body).toMatch(/No API uses it\.$/);
  });

  it('names the operations whose policies present the certificate, and the global policy', () => {
    const c = used(linked('client1', { apisAtRisk: ['Orders', 'Payments', 'Billing'] }), [
      { apiId: 'orders', apiName: 'Orders', reference: 'certificate-id' },
      { apiId: 'payments', apiName: 'Payments', reference: 'certificate-id', operationId: 'refund', operationName: 'Refund' },
      { apiId: 'payments', apiName: 'Payments', reference: 'thumbprint', operationId: 'void', operationName: 'Void' },
      { apiId: '', apiName: '', reference: 'certificate-id', global: true },
    ]);
    expect(describeSyncFailure(c).body).toMatch(/At risk \(still on version 3\): All APIs \(the global policy\), Orders, Payments \(operations Refund, Void\), Billing\.$/);
  });
});
