import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../renderer/src/shell/router';

describe('Hash router', () => {
  it('parses every page and round-trips through routeHref', () => {
    const routes: Route[] = [
      { page: 'apis' },
      { page: 'api', apiId: 'orders', tab: 'security' },
      { page: 'api', apiId: 'a b/c', tab: 'policies' },
      { page: 'api', apiId: 'orders', tab: 'operations' },
      { page: 'api', apiId: 'pets', tab: 'operations', operationId: 'show Pet/1' },
      { page: 'global-policy' },
      { page: 'client-certificates' },
      { page: 'ca-certificates' },
      { page: 'gateway' },
      { page: 'settings' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('defaults sensibly', () => {
    expect(parseRoute('')).toEqual({ page: 'apis' });
    expect(parseRoute('#/')).toEqual({ page: 'apis' });
    expect(parseRoute('#/apis/orders')).toEqual({ page: 'api', apiId: 'orders', tab: 'settings' });
    expect(parseRoute('#/security')).toEqual({ page: 'client-certificates' });
    expect(parseRoute('#/apis/orders/nope')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/apis/orders/security/extra')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/apis/orders/operations/a/b')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/policies/x')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/elsewhere')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/apis/%E0%A4%A/settings')).toEqual({ page: 'not-found' });
  });
});
