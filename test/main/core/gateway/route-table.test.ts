import { describe, expect, it } from 'vitest';
import { compileOperations, matchOperation, parseTemplate } from '../../../../main/core/gateway/route-table';

interface Op {
  readonly id: string;
  readonly method: string;
  readonly urlTemplate: string;
}

function table(...ops: [string, string, string][]) {
  const compiled = compileOperations(ops.map(([id, method, urlTemplate]): Op => ({ id, method, urlTemplate })));
  return (method: string, rest: string): string | null => matchOperation(compiled, method, rest)?.id ?? null;
}

describe('operation matching: specificity', () => {
  const at = table(
    ['get-order', 'GET', '/orders/{orderId}'],
    ['refund', 'POST', '/orders/{orderId}/refund'],
    ['special', 'GET', '/orders/special'],
    ['any-order', '*', '/orders/{orderId}'],
    ['list', 'GET', '/orders'],
    ['files', 'GET', '/files/{*path}'],
    ['file-meta', 'GET', '/files/{name}/meta'],
  );

  it('prefers a literal segment to a parameter, and a parameter to a wildcard', () => {
    expect(at('GET', '/orders/special')).toBe('special');
    expect(at('GET', '/orders/42')).toBe('get-order');
    expect(at('GET', '/files/a/meta')).toBe('file-meta');
    expect(at('GET', '/files/a/b/c')).toBe('files');
    expect(at('GET', '/files')).toBe('files');
  });

  it('prefers an exact method to *, and falls back to a less specific path for the method', () => {
    expect(at('DELETE', '/orders/42')).toBe('any-order');
    // POST /orders/special: the literal has only GET; the parameter template takes any method.
    expect(at('POST', '/orders/special')).toBe('any-order');
    expect(at('POST', '/orders/42/refund')).toBe('refund');
    expect(at('GET', '/orders/42/refund')).toBeNull();
    expect(at('get', '/orders/42')).toBe('get-order');
  });

  it('answers null when nothing matches', () => {
    expect(at('GET', '/customers')).toBeNull();
    expect(at('GET', '')).toBeNull();
    expect(at('POST', '/orders')).toBeNull();
  });
});

describe('operation matching: templates, query parts, slashes and encodings', () => {
  it('needs every query parameter a template names, and prefers the one naming more', () => {
    const at = table(
      ['search', 'GET', '/items?q={q}'],
      ['search-paged', 'GET', '/items?q={q}&page={page}'],
      ['all', 'GET', '/items'],
    );
    expect(at('GET', '/items?q=a&page=2')).toBe('search-paged');
    expect(at('GET', '/items?page=2&q=a')).toBe('search-paged');
    expect(at('GET', '/items?q=a')).toBe('search');
    expect(at('GET', '/items?page=2')).toBe('all');
    expect(at('GET', '/items')).toBe('all');
  });

  it('ignores one trailing slash on the call and on the template, and matches the root', () => {
    const at = table(['list', 'GET', '/orders/'], ['root', 'GET', '/']);
    expect(at('GET', '/orders')).toBe('list');
    expect(at('GET', '/orders/')).toBe('list');
    expect(at('GET', '/orders/?x=1')).toBe('list');
    expect(at('GET', '/')).toBe('root');
    expect(at('GET', '')).toBe('root');
    expect(at('GET', '?x=1')).toBe('root');
    expect(at('GET', '/orders//')).toBeNull();
  });

  it('compares literals case-insensitively after percent-decoding; an encoded slash stays in its segment', () => {
    const at = table(['cafe', 'GET', '/café/menu'], ['item', 'GET', '/items/{id}'], ['slashed', 'GET', '/a%2Fb']);
    expect(at('GET', '/caf%C3%A9/menu')).toBe('cafe');
    expect(at('GET', '/CAF%c3%89/Menu')).toBe('cafe');
    expect(at('GET', '/items/a%2Fb')).toBe('item');
    expect(at('GET', '/items/a/b')).toBeNull();
    expect(at('GET', '/a%2fb')).toBe('slashed');
    expect(at('GET', '/a/b')).toBeNull();
    // Invalid percent-encoding is compared as written, never thrown on.
    expect(at('GET', '/items/%E0%A4%A')).toBe('item');
  });

  it('matches segments that mix text and parameters, after literals and before whole-segment parameters', () => {
    const at = table(['json', 'GET', '/files/{name}.json'], ['versioned', 'GET', '/files/{name}.v{version}.json'], ['any', 'GET', '/files/{file}'], ['exact', 'GET', '/files/index.json']);
    expect(at('GET', '/files/index.json')).toBe('exact');
    expect(at('GET', '/files/report.JSON')).toBe('json');
    expect(at('GET', '/files/report.v2.json')).toBe('versioned');
    expect(at('GET', '/files/report.xml')).toBe('any');
    expect(at('GET', '/files/.json')).toBe('any');
    expect(at('GET', '/files/a(b).json')).toBe('json');
  });

  it('does not let a parameter match an empty segment', () => {
    const at = table(['item', 'GET', '/items/{id}/x']);
    expect(at('GET', '/items//x')).toBeNull();
    expect(at('GET', '/items/1/x')).toBe('item');
  });

  it('refuses templates it cannot match, with a reason', () => {
    expect(parseTemplate('orders')).toMatch(/starts with "\/"/);
    expect(parseTemplate('/a/{id}{x}')).toMatch(/nothing between/);
    expect(parseTemplate('/a/{id/b')).toMatch(/not a parameter/);
    expect(parseTemplate('/a/{id}/{ID}')).toMatch(/twice/);
    expect(parseTemplate('/a/{*rest}/b')).toMatch(/last segment/);
    expect(parseTemplate('/a//b')).toMatch(/empty segment/);
    expect(parseTemplate('/a#x')).toMatch(/#/);
    expect(parseTemplate('/a/{id}?q={q}')).toEqual({
      segments: [
        { kind: 'literal', value: 'a' },
        { kind: 'param', name: 'id' },
      ],
      wildcard: false,
      query: ['q'],
    });
  });
});
