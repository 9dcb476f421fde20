/**
 * Turns a GatewayConfig into what the hot path reads: routes sorted for matching, each with its parsed back
 * end, prepared header actions, Authorization value and connection pool. Pools whose key is unchanged are
 * carried over (their connections and handshakes stay); the others are returned to be retired.
 */
import { compileOperations, type OperationTable } from './route-table';
import { compileRoutes, type CompiledPath } from './router';
import { prepareHeaderActions, type PreparedHeaderAction } from './headers';
import { UpstreamPool, type PoolOptions } from './upstream-pool';
import { parseTarget, poolKey, type UpstreamTarget } from './upstream-target';
import type { GatewayConfig, OperationRouteConfig, RouteConfig, RouteRefusal } from './types';

/** A route ready for the hot path. */
export interface ActiveRoute {
  readonly apiId: string;
  readonly path: string;
  readonly config: RouteConfig;
  readonly target: UpstreamTarget;
  readonly pool: UpstreamPool;
  /** `Basic …` for basicAuth, else null. */
  readonly authorization: string | null;
  readonly inbound: readonly PreparedHeaderAction[];
  readonly outbound: readonly PreparedHeaderAction[];
  readonly certificateId: string | null;
  readonly certificateVersion: number | null;
  readonly thumbprint: string | null;
  /** The API's operations, each a route of its own (pool, credential, headers); null: every path forwards. */
  readonly operations: OperationTable<ActiveRoute> | null;
  /** Set on an operation's route. */
  readonly operationId: string | null;
  /** Operation routes only: the upper-case method (or `*`) and template, for the table. */
  readonly method?: string;
  readonly urlTemplate?: string;
}

/** The routing state of one configuration. */
export interface ActiveConfig {
  readonly table: readonly CompiledPath<ActiveRoute>[];
  /** APIs answered with their problem (a stored policy that does not parse), matched like routes. */
  readonly refusals: readonly CompiledPath<RouteRefusal>[];
  readonly byApiId: ReadonlyMap<string, ActiveRoute>;
  readonly pools: ReadonlyMap<string, UpstreamPool>;
}

/** A route that could not be activated (e.g. a service URL that does not parse), with the reason. */
export interface RouteProblem {
  readonly apiId: string;
  readonly message: string;
}

/** The empty configuration: every request gets `no-route`. */
export const EMPTY_CONFIG: ActiveConfig = { table: [], refusals: [], byApiId: new Map(), pools: new Map() };

/**
 * Build the routing state for `config`, reusing pools from `previous` whose key is unchanged.
 * Returns the new state, the pools no longer used (to retire) and routes that were skipped.
 */
export function activateConfig(
  config: GatewayConfig,
  previous: ActiveConfig,
  options: PoolOptions,
): { readonly active: ActiveConfig; readonly unused: readonly UpstreamPool[]; readonly problems: readonly RouteProblem[] } {
  const pools = new Map<string, UpstreamPool>();
  const routes: ActiveRoute[] = [];
  const problems: RouteProblem[] = [];
  for (const route of config.routes) {
    try {
      const target = parseTarget(route.serviceUrl);
      const activate = (config: RouteConfig | OperationRouteConfig, operation: OperationRouteConfig | null): ActiveRoute => {
        const key = poolKey(config, target);
        let pool = pools.get(key) ?? previous.pools.get(key);
        if (!pool) pool = new UpstreamPool(key, config, target, options);
        pools.set(key, pool);
        return {
          apiId: config.apiId,
          path: config.path,
          config,
          target,
          pool,
          authorization: config.basicAuth
            ? `Basic ${Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`, 'utf8').toString('base64')}`
            : null,
          inbound: prepareHeaderActions(config.inboundHeaders),
          outbound: prepareHeaderActions(config.outboundHeaders),
          certificateId: config.clientCertificate?.id ?? null,
          certificateVersion: config.clientCertificate?.version ?? null,
          thumbprint: config.clientCertificate?.thumbprint ?? null,
          operations: null,
          operationId: operation?.operationId ?? null,
          ...(operation ? { method: operation.method, urlTemplate: operation.urlTemplate } : {}),
        };
      };
      const api = activate(route, null);
      // Operations sharing the API's certificate and trust share its pool (same key); a different one gets its own.
      const operations = (route.operations ?? []).map((op) => activate(op, op));
      routes.push(operations.length === 0 ? api : { ...api, operations: compileOperations(operations as (ActiveRoute & { method: string; urlTemplate: string })[]) });
    } catch (err) {
      // Never echo key material: the message of a TLS context error names the problem, not the key.
      problems.push({ apiId: route.apiId, message: err instanceof Error ? err.message : String(err) });
    }
  }
  const unused = [...previous.pools.values()].filter((p) => !pools.has(p.key));
  return {
    active: { table: compileRoutes(routes), refusals: compileRoutes(config.refusals ?? []), byApiId: new Map(routes.map((r) => [r.apiId, r])), pools },
    unused,
    problems,
  };
}
