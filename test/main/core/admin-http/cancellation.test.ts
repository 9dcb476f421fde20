import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { fail, ok, type CallOptions, type Operations } from '../../../../preload/contract';
import { startAdminServer } from '../../../../main/core/admin-http/server';
import { TOKEN } from './admin-fixture';

/** Operations whose `certificates.inspect` runs until its signal aborts; everything else answers at once. */
function waitingOperations() {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let aborted!: () => void;
  const stopped = new Promise<void>((resolve) => (aborted = resolve));
  const operations = new Proxy({} as Operations, {
    get: (_target, name) =>
      name === 'certificates.inspect'
        ? (_input: unknown, options?: CallOptions) =>
            new Promise((resolve) => {
              started();
              options?.signal?.addEventListener('abort', () => {
                aborted();
                resolve(fail('cancelled', 'stopped'));
              });
            })
        : async () => ok(null),
  });
  return { operations, running, stopped };
}

describe('a caller that goes away', () => {
  it('closing the connection while an operation runs aborts its signal (a parse stops)', async () => {
    const { operations, running, stopped } = waitingOperations();
    const started = await startAdminServer({ operations, subscribe: () => () => {}, port: 0, token: TOKEN });
    if (!started.ok) throw new Error(started.error.message);
    try {
      const body = JSON.stringify({ data: 'AAAA', password: 'pw' });
      const req = request({
        host: '127.0.0.1',
        port: started.value.port,
        method: 'POST',
        path: '/_rpc/certificates.inspect',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.on('error', () => undefined);
      req.end(body);
      await running;
      req.destroy();
      await stopped;
    } finally {
      await started.value.close();
    }
  });

  it('an answered request does not abort anything afterwards', async () => {
    let seen: AbortSignal | undefined;
    const operations = new Proxy({} as Operations, {
      get: () => async (_input: unknown, options?: CallOptions) => {
        seen = options?.signal;
        return ok(null);
      },
    });
    const started = await startAdminServer({ operations, subscribe: () => () => {}, port: 0, token: TOKEN });
    if (!started.ok) throw new Error(started.error.message);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: started.value.port, method: 'POST', path: '/_rpc/settings.get', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      expect(status).toBe(200);
    } finally {
      await started.value.close();
    }
    expect(seen).toBeDefined();
    expect(seen?.aborted).toBe(false);
  });
});
