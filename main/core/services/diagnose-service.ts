import { ok, type Operations } from '../../../preload/contract';
import { diagnoseRoute } from '../diagnose/diagnose-route';
import type { ServiceContext } from './context';
import type { GatewayConfigBuilder } from './gateway-config';

/** How long a diagnosis may take when the caller does not say. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Back-end diagnosis (issue: beyond the cloud console): the API's route, or one operation's, resolved exactly as
 * the gateway would run it (optionally with another stored certificate), then diagnosed. Reads only; never throws.
 */
export function diagnoseOperations(_ctx: ServiceContext, routes: GatewayConfigBuilder): Pick<Operations, 'apis.diagnose'> {
  return {
    async 'apis.diagnose'({ id, operationId, certificateId, timeoutMs }) {
      const route = await routes.route(id, { ...(certificateId !== undefined && { certificateId }), ...(operationId !== undefined && { operationId }) });
      if (!route.ok) return route;
      // Certificate dates are judged on the real clock, as the TLS stack judges them.
      const diagnosis = await diagnoseRoute(route.value, { timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return ok(operationId === undefined ? diagnosis : { ...diagnosis, operationId });
    },
  };
}
