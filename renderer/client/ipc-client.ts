/** The client for the Electron app: each call goes to the preload's `window.certgate.<group>.<verb>`. */
import type { CallOptions, CertGateClient, OperationInput, OperationName, OperationOutput, Subscriptions } from '../../preload/contract/operations';
import type { ChangeEvent } from '../../preload/contract/model';
import { fail, isResult, type Result } from '../../preload/contract/result';
import type { CertGateBridge } from './bridge-types';
import { RESYNC_EVENT } from './resync';


type AnyMethod = (input: unknown, callId?: string) => Promise<unknown>;

let lastCallId = 0;

/** The answer to a call whose signal aborted: the window does not wait for main. */
function cancelled<T>(name: string): Result<T> {
  return fail('cancelled', `${name} was cancelled.`);
}

/**
 * Wrap the preload bridge in the `CertGateClient` interface; a rejected IPC call becomes an `internal` failure.
 * When IPC calls were rejected (main was re-wiring its handlers) and then work again, change events sent
 * meanwhile may be lost: every `changes` listener gets the resync event so that it loads again.
 */
export function createIpcClient(bridge: CertGateBridge): CertGateClient {
  const changeListeners = new Set<(event: ChangeEvent) => void>();
  let broken = false;

  function recovered(): void {
    if (!broken) return;
    broken = false;
    for (const listener of [...changeListeners]) listener(RESYNC_EVENT);
  }

  return {
    async call<N extends OperationName>(name: N, input: OperationInput<N>, options?: CallOptions): Promise<Result<OperationOutput<N>>> {
      const [group, verb] = name.split('.') as [string, string];
      const groupMethods = (bridge as unknown as Record<string, Record<string, AnyMethod> | undefined>)[group];
      const method = groupMethods?.[verb];
      if (typeof method !== 'function') {
        return fail('internal', `The app does not expose ${name}.`);
      }
      const signal = options?.signal;
      if (signal?.aborted) return cancelled(name);
      let result: unknown;
      try {
        result = await (signal ? callCancellable(bridge, signal, (callId) => method.call(groupMethods, input, callId)) : method.call(groupMethods, input));
      } catch (err) {
        broken = true;
        return fail('internal', `The app could not run ${name}.`, { reason: err instanceof Error ? err.message : String(err) });
      }
      if (result === CANCELLED) return cancelled(name);
      if (!isResult(result)) return fail('internal', `The app answered ${name} with something unexpected.`);
      // Answer first, then let the listeners load again.
      queueMicrotask(recovered);
      return result as Result<OperationOutput<N>>;
    },
    subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
      const unsubscribe = bridge.subscribe(channel, listener);
      if (channel !== 'changes') return unsubscribe;
      const entry = listener as (event: ChangeEvent) => void;
      changeListeners.add(entry);
      return () => {
        changeListeners.delete(entry);
        unsubscribe();
      };
    },
  };
}

const CANCELLED = Symbol('cancelled');

/** Send a call with an id; when `signal` aborts, tell main to cancel it and answer at once. */
function callCancellable(bridge: CertGateBridge, signal: AbortSignal, send: (callId: string) => Promise<unknown>): Promise<unknown> {
  lastCallId += 1;
  const callId = `call-${lastCallId}`;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      bridge.cancel(callId);
      resolve(CANCELLED);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    send(callId).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
