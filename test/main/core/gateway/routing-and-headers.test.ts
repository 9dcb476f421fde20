import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { applyHeaderActions, copyOutbound, isFramingHeader, prepareHeaderActions, scanInbound } from '../../../../main/core/gateway/headers';
import { compileRoutes, joinUpstreamPath, mayEscapeServicePath, matchRoute, originForm } from '../../../../main/core/gateway/router';
import { TrafficLog, type LoggedCall } from '../../../../main/core/gateway/traffic-log';
import type { TrafficEntry } from '../../../../preload/contract';

describe('matchRoute', () => {
  const table = compileRoutes([{ path: 'a' }, { path: 'a/b' }, { path: '' }, { path: 'Orders' }]);
  const at = (url: string): [string, string] | null => {
    const m = matchRoute(table, url);
    return m ? [m.route.path, m.rest] : null;
  };

  it('picks the longest path on segment boundaries, case-insensitively, keeping the rest and query', () => {
    expect(at('/a/b/c?x=1')).toEqual(['a/b', '/c?x=1']);
    expect(at('/A/B')).toEqual(['a/b', '']);
    expect(at('/a/bc')).toEqual(['a', '/bc']);
    expect(at('/a?q')).toEqual(['a', '?q']);
    expect(at('/orders/42')).toEqual(['Orders', '/42']);
    expect(at('/ab')).toEqual(['', '/ab']);
  });

  it('finds no route without a catch-all', () => {
    const only = compileRoutes([{ path: 'api' }]);
    expect(matchRoute(only, '/apix')).toBeNull();
    expect(matchRoute(only, '/')).toBeNull();
    expect(matchRoute(only, '/api/')?.rest).toBe('/');
  });

  it('joins the service path and the rest', () => {
    expect(joinUpstreamPath('', '')).toBe('/');
    expect(joinUpstreamPath('/base', '')).toBe('/base');
    expect(joinUpstreamPath('/base', '?x=1')).toBe('/base?x=1');
    expect(joinUpstreamPath('', '?x=1')).toBe('/?x=1');
    expect(joinUpstreamPath('/base', '/c/d?x')).toBe('/base/c/d?x');
  });

  it('spots paths that could climb above the service path: dot segments plain, encoded, with \\ or %2f/%5c, mixed', () => {
    const escaping = [
      '/../x', '/a/./b', '/%2e%2E/x', '/a/..', '/.%2e/', '/..%2fx', '/..%2F', '/a/..%5cx', '/..\\x', '/a\\..\\b', '\\..',
      '/%2e%2e%2fx', '/%2e%2e%5c', '/a%2f..%2fb', '/%252e%252e%252fx', '/%25252e%25252e/x', '/.%2E%2fx', '/..;jsessionid=1/x', '/a/..;/b',
    ];
    for (const p of escaping) expect(mayEscapeServicePath(p), p).toBe(true);
    for (const p of ['/a.json', '/v1.2/x', '/a%20b', '/...', '/a..b/c', '/x/.hidden', '/%2e%2e%2e', '/a%2fb', '/a\\b', '/..x', '/']) {
      expect(mayEscapeServicePath(p), p).toBe(false);
    }
  });

  it('turns absolute-form targets into origin form', () => {
    expect(originForm('/x?y')).toBe('/x?y');
    expect(originForm('http://h:1/p/q?z=1')).toBe('/p/q?z=1');
    expect(originForm('*')).toBeNull();
    expect(originForm('')).toBeNull();
  });
});

describe('headers', () => {
  it('drops hop-by-hop headers, those named by Connection, Host, Expect and X-Forwarded-Proto/Host', () => {
    const scan = scanInbound([
      'Host', 'gw:1', 'Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Keep-Alive', 'timeout=5', 'Proxy-Authorization', 'Basic x',
      'TE', 'trailers', 'Upgrade', 'h2c', 'Expect', '100-continue', 'X-Forwarded-For', '10.0.0.1', 'x-forwarded-for', '10.0.0.2',
      'X-Forwarded-Proto', 'https', 'Accept', 'a', 'accept', 'b', 'Content-Length', '3',
    ]);
    expect(scan.headers).toEqual(['Accept', 'a', 'accept', 'b', 'Content-Length', '3']);
    expect(scan).toMatchObject({ host: 'gw:1', forwardedFor: '10.0.0.1, 10.0.0.2', hasBody: true });
  });

  it('leaves the framing of a streamed request body to undici', () => {
    const scan = scanInbound(['Transfer-Encoding', 'chunked', 'X', '1']);
    expect(scan.headers).toEqual(['X', '1']);
    expect(scan.hasBody).toBe(true);
    expect(scanInbound(['Content-Length', '0']).hasBody).toBe(false);
  });

  it('filters the response the same way, and takes Content-Length out: the client-side framing is ours', () => {
    const raw = ['Connection', 'close, X-Gone', 'X-Gone', '1', 'Transfer-Encoding', 'chunked', 'Set-Cookie', 'a', 'content-length', ' 12', 'Set-Cookie', 'b', 'TE', 'x'];
    expect(copyOutbound(raw.map((v) => Buffer.from(v, 'latin1')))).toEqual({ headers: ['Set-Cookie', 'a', 'Set-Cookie', 'b'], contentLength: '12', transferEncoding: 'chunked' });
    expect(copyOutbound([Buffer.from('X-Bytes'), Buffer.from([0xe9, 0x41])]).headers).toEqual(['X-Bytes', '\u00e9A']);
  });

  it('names the framing headers a policy may not set', () => {
    for (const n of ['Content-Length', 'transfer-encoding', ' Connection', 'Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Proxy-Connection']) expect(isFramingHeader(n), n).toBe(true);
    for (const n of ['Content-Type', 'X-Length', 'Host']) expect(isFramingHeader(n), n).toBe(false);
  });

  it('applies set-header actions in order: override, skip, append, delete', () => {
    const actions = prepareHeaderActions([
      { name: 'X-Key', existsAction: 'override', values: ['k1'] },
      { name: 'x-present', existsAction: 'skip', values: ['no'] },
      { name: 'X-Absent', existsAction: 'skip', values: ['yes'] },
      { name: 'X-List', existsAction: 'append', values: ['2', '3'] },
      { name: 'X-Secret', existsAction: 'delete', values: [] },
      { name: 'Content-Length', existsAction: 'override', values: ['1'] },
      { name: 'X-Bad', existsAction: 'override', values: ['a\r\nb', 'ok'] },
    ]);
    const out = applyHeaderActions(['x-key', 'old', 'X-Present', 'p', 'X-List', '1', 'x-secret', 's', 'Content-Length', '5'], actions);
    expect(out).toEqual(['X-Present', 'p', 'X-List', '1', 'Content-Length', '5', 'X-Key', 'k1', 'X-Absent', 'yes', 'X-List', '2', 'X-List', '3', 'X-Bad', 'ok']);
  });
});

describe('TrafficLog', () => {
  const call = (n: number): LoggedCall => ({
    id: `r${n}`, req: { method: 'GET', url: '/' }, route: null, apiId: null, status: 200, handshake: null, errorCode: null,
    startedAt: performance.now(), wallStart: Date.UTC(2026, 11, 3, 12, 0, 0, n),
  });

  it('builds each entry from the call: path without its query, the route\'s certificate, time and duration', () => {
    const log = new TrafficLog(2);
    const route = { apiId: 'orders', certificateId: 'c1', certificateVersion: 3, thumbprint: 'AB12', operationId: 'get-order' };
    const seen: TrafficEntry[] = [];
    log.subscribe((e) => seen.push(e));
    log.add({ ...call(1), req: { method: 'POST', url: '/orders/7?token=secret' }, route, status: 201, handshake: 'reused', startedAt: performance.now() - 12.5 });
    log.add({ ...call(2), apiId: 'locked', status: 503, errorCode: 'locked' });
    const [first, second] = log.recent();
    expect(first).toEqual({
      requestId: 'r1', time: '2026-12-03T12:00:00.001Z', method: 'POST', path: '/orders/7', apiId: 'orders', status: 201,
      durationMs: expect.any(Number), certificateId: 'c1', operationId: 'get-order', certificateVersion: 3, thumbprint: 'AB12',
      handshake: 'reused', errorCode: null,
    });
    expect(first?.durationMs).toBeGreaterThanOrEqual(12.5);
    expect(second).toMatchObject({ requestId: 'r2', apiId: 'locked', status: 503, certificateId: null, errorCode: 'locked' });
    expect(seen).toEqual([first, second]);
    expect(log.find('r1')).toEqual(first);
  });

  it('keeps the last N entries, newest last, and finds by request id', () => {
    const log = new TrafficLog(3);
    for (let i = 1; i <= 5; i++) log.add(call(i));
    expect(log.recent().map((e) => e.requestId)).toEqual(['r3', 'r4', 'r5']);
    expect(log.recent(2).map((e) => e.requestId)).toEqual(['r4', 'r5']);
    expect(log.recent(0)).toEqual([]);
    expect(log.find('r4')?.requestId).toBe('r4');
    expect(log.find('r1')).toBeNull();
  });

  it('tells subscribers until they unsubscribe, and survives a throwing one', () => {
    const log = new TrafficLog(2);
    const seen: string[] = [];
    log.subscribe(() => {
      throw new Error('bug');
    });
    const off = log.subscribe((e) => seen.push(e.requestId));
    log.add(call(1));
    off();
    log.add(call(2));
    expect(seen).toEqual(['r1']);
  });
});
