/** The client for the Electron app: each call goes to the preload's `window.certgate.<group>.<verb>`. */
import type { CertGateClient, OperationInput, OperationName, OperationOutput, Result, Subscriptions } from '../../preload/contract';
import type { CertGateBridge } from './bridge-types';
import { failure, isResult } from './result';

type AnyMethod = (input: unknown) => Promise<unknown>;

/** Wrap the preload bridge in the `CertGateClient` interface; a rejected IPC call becomes an `internal` failure. */
export function createIpcClient(bridge: CertGateBridge): CertGateClient {
  return {
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>> {
      const [group, verb] = name.split('.') as [string, string];
      const groupMethods = (bridge as unknown as Record<string, Record<string, AnyMethod> | undefined>)[group];
      const method = groupMethods?.[verb];
      if (typeof method !== 'function') {
        return failure('internal', `The app does not expose ${name}.`);
      }
      try {
        const result = await method.call(groupMethods, input);
        return isResult(result)
          ? (result as Result<OperationOutput<N>>)
          : failure('internal', `The app answered ${name} with something unexpected.`);
      } catch (err) {
        return failure('internal', `The app could not run ${name}.`, { reason: err instanceof Error ? err.message : String(err) });
      }
    },
    subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
      return bridge.subscribe(channel, listener);
    },
  };
}
