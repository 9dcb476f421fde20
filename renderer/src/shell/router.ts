/**
 * A tiny hash router: `#/apis`, `#/apis/{id}/{tab}`, `#/apis/{id}/operations/{operationId}`, `#/policies` (the
 * policy for all APIs), `#/security/client-certificates`,
 * `#/security/ca-certificates`, `#/gateway`, `#/gateway/export`, `#/settings`. In browser mode the `#token=` fragment is read and
 * stripped by the client before the router ever looks at the hash.
 */
import { useEffect, useState } from 'react';

/** The tabs of an API page. */
export const apiTabs = ['settings', 'operations', 'security', 'policies', 'test'] as const;

/** One tab of an API page. */
export type ApiTab = (typeof apiTabs)[number];

/** Where the console is. */
export type Route =
  | { readonly page: 'apis' }
  /** `operationId`: one operation of the Operations tab (its details and policy). */
  | { readonly page: 'api'; readonly apiId: string; readonly tab: ApiTab; readonly operationId?: string }
  | { readonly page: 'global-policy' }
  | { readonly page: 'client-certificates' }
  | { readonly page: 'ca-certificates' }
  | { readonly page: 'gateway' }
  | { readonly page: 'export' }
  | { readonly page: 'settings' }
  | { readonly page: 'not-found' };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Parse a location hash into a route; an empty hash is the APIs list. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/');
  const [first, second, third, fourth] = parts;
  if (parts.length === 0 || (first === 'apis' && parts.length === 1)) return { page: 'apis' };
  if (first === 'policies' && parts.length === 1) return { page: 'global-policy' };
  if (first === 'apis' && second !== undefined && third === 'operations' && fourth !== undefined && parts.length === 4) {
    const apiId = decode(second);
    const operationId = decode(fourth);
    if (apiId && operationId) return { page: 'api', apiId, tab: 'operations', operationId };
  }
  if (first === 'apis' && second !== undefined && parts.length <= 3) {
    const apiId = decode(second);
    const tab = (third ?? 'settings') as ApiTab;
    if (apiId && apiTabs.includes(tab)) return { page: 'api', apiId, tab };
  }
  if (first === 'security' && parts.length === 2) {
    if (second === 'client-certificates') return { page: 'client-certificates' };
    if (second === 'ca-certificates') return { page: 'ca-certificates' };
  }
  if (first === 'security' && parts.length === 1) return { page: 'client-certificates' };
  if (first === 'gateway' && parts.length === 1) return { page: 'gateway' };
  if (first === 'gateway' && second === 'export' && parts.length === 2) return { page: 'export' };
  if (first === 'settings' && parts.length === 1) return { page: 'settings' };
  return { page: 'not-found' };
}

/** The `href` of a route. */
export function routeHref(route: Route): string {
  switch (route.page) {
    case 'apis':
      return '#/apis';
    case 'api': {
      const base = `#/apis/${encodeURIComponent(route.apiId)}/${route.tab}`;
      return route.operationId === undefined ? base : `${base}/${encodeURIComponent(route.operationId)}`;
    }
    case 'global-policy':
      return '#/policies';
    case 'client-certificates':
      return '#/security/client-certificates';
    case 'ca-certificates':
      return '#/security/ca-certificates';
    case 'gateway':
      return '#/gateway';
    case 'export':
      return '#/gateway/export';
    case 'settings':
      return '#/settings';
    case 'not-found':
      return '#/';
    default:
      return assertNever(route);
  }
}

/** Go to a route (adds a history entry, so Back works). */
export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

let navigated = false;

/** True once the user has moved from the first page (pages then move focus to their heading). */
export function hasNavigated(): boolean {
  return navigated;
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = (event?: HashChangeEvent) => {
      if (event) navigated = true;
      setHash(window.location.hash);
    };
    window.addEventListener('hashchange', onChange);
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

/** For exhaustive switches. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
