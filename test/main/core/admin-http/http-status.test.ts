import { describe, expect, it } from 'vitest';
import { errorCodes, type Operations } from '../../../../preload/contract';
import { httpStatusFor } from '../../../../main/core/admin-http/http-status';
import { startAdminServer } from '../../../../main/core/admin-http/server';
import { rawRequest, TOKEN } from './admin-fixture';

describe('error code → HTTP status', () => {
  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of errorCodes) {
      const status = httpStatusFor(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('follows the documented table', () => {
    expect(httpStatusFor('validation')).toBe(400);
    for (const code of ['bad-password', 'invalid-format', 'no-private-key', 'no-certificate', 'key-mismatch', 'unsupported-algorithm', 'too-expensive'] as const) {
      expect(httpStatusFor(code), code).toBe(422);
    }
    expect(httpStatusFor('unauthorized')).toBe(401);
    expect(httpStatusFor('forbidden')).toBe(403);
    expect(httpStatusFor('not-found')).toBe(404);
    for (const code of ['in-use', 'duplicate', 'locked'] as const) expect(httpStatusFor(code), code).toBe(409);
    expect(httpStatusFor('precondition-failed')).toBe(412);
    expect(httpStatusFor('too-large')).toBe(413);
    expect(httpStatusFor('unsupported-media-type')).toBe(415);
    expect(httpStatusFor('store-corrupt')).toBe(500);
    expect(httpStatusFor('io-error')).toBe(507);
    expect(httpStatusFor('internal')).toBe(500);
    expect(httpStatusFor('keychain-unavailable')).toBe(503);
  });
});

describe('bugs at the boundary', () => {
  it('answers a throwing operation or handler with 500 internal and no stack trace', async () => {
    const operations = new Proxy({} as Operations, {
      get: () => async () => {
        throw new Error('boom');
      },
    });
    const started = await startAdminServer({
      operations,
      subscribe: () => {
        throw new Error('subscribe exploded');
      },
      port: 0,
      token: TOKEN,
    });
    if (!started.ok) throw new Error(started.error.message);
    try {
      const rpc = await rawRequest('127.0.0.1', started.value.port, '/_rpc/apis.list', { method: 'POST', body: {} });
      expect(rpc.status).toBe(500);
      expect(rpc.json).toMatchObject({ ok: false, error: { code: 'internal' } });
      const rest = await rawRequest('127.0.0.1', started.value.port, '/apis');
      expect(rest.status).toBe(500);
      const events = await rawRequest('127.0.0.1', started.value.port, '/_events');
      expect(events.status).toBe(500);
      expect(events.json).toEqual({ error: { code: 'internal', message: expect.stringContaining('unexpected problem') } });
      for (const r of [rpc, rest, events]) {
        expect(r.text).not.toMatch(/\n\s+at /);
        expect(r.text).not.toContain('.ts:');
      }
    } finally {
      await started.value.close();
    }
  });
});
