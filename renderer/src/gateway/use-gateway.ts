/**
 * The gateway: its status (for the status bar and the Gateway page), kept fresh by polling and by traffic
 * events, and the console's test call.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { GatewayStatus, TestCallResult } from '../../../preload/contract/model';
import type { OperationInput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** How often the status is polled: its state can change without any event (start, failure). */
const POLL_MS = 5000;
/** Traffic bursts refresh the counters at most this often. */
const TRAFFIC_REFRESH_MS = 500;

/** The gateway status with its state, and the test call. */
export interface GatewayState extends Resource<GatewayStatus> {
  readonly status: GatewayStatus | undefined;
  testCall(input: OperationInput<'gateway.testCall'>): Promise<Result<TestCallResult>>;
}

/** Load the gateway status; poll it, and refresh it after calls and API changes. */
export function useGateway(): GatewayState {
  const client = useClient();
  const resource = useResource(loads.gateway.load, { key: loads.gateway.key, refreshOn: (e) => e.kind === 'api' });
  const { refresh } = resource;
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const timer = setInterval(() => void refresh(), POLL_MS);
    const unsubscribe = client.subscribe('traffic', () => {
      if (pending.current !== null) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        void refresh();
      }, TRAFFIC_REFRESH_MS);
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [client, refresh]);

  const testCall = useCallback((input: OperationInput<'gateway.testCall'>) => client.call('gateway.testCall', input), [client]);
  return { ...resource, status: resource.data, testCall };
}
