import { fail, ok, type GatewayStatus, type Operations } from '../../../preload/contract';
import type { GatewayDriver } from '../gateway/types';
import type { ServiceContext } from './context';
import type { RouteProblem } from './gateway-config';

const STOPPED: GatewayStatus = {
  state: 'stopped',
  url: null,
  message: 'The gateway is not running in this process.',
  startedAt: null,
  counters: { requests: 0, errors: 0, inFlight: 0, backendHandshakes: 0 },
  routes: [],
};

/** What the gateway operations read of the running gateway (the app's GatewaySync provides it). */
export interface GatewayFeed {
  /** The gateway this process feeds, or null when it runs none. */
  readonly driver: GatewayDriver | null;
  /** Routes the last configuration could not build (a missing certificate, say), for the status message. */
  readonly problems: readonly RouteProblem[];
}

/** The gateway's status, recent traffic and the console's test call. */
export function gatewayOperations(
  ctx: ServiceContext,
  sync: GatewayFeed,
): Pick<Operations, 'gateway.status' | 'gateway.traffic' | 'gateway.testCall'> {
  return {
    async 'gateway.status'() {
      const driver = sync.driver;
      if (!driver) return ok(STOPPED);
      const status = driver.status();
      const problems = sync.problems.map((p) => `${p.apiId}: ${p.message}`);
      return ok(problems.length > 0 ? { ...status, message: [status.message, ...problems].filter(Boolean).join('\n') } : status);
    },
    async 'gateway.traffic'({ limit }) {
      return ok(sync.driver?.traffic(limit) ?? []);
    },
    async 'gateway.testCall'(input) {
      if (!ctx.store.data.apis.some((a) => a.id === input.apiId)) return fail('not-found', `There is no API with id "${input.apiId}".`);
      const driver = sync.driver;
      if (!driver) return fail('gateway-unavailable', 'The gateway is not running; start CertGate with its gateway to send test calls.');
      return driver.testCall(input);
    },
  };
}
