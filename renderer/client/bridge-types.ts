/**
 * The shape of `window.certgate`, the Electron preload's bridge, derived from the contract: one method per
 * operation grouped by the part of its name before the dot (`certificates.upload` →
 * `window.certgate.certificates.upload(input, callId?)`), plus `subscribe`, which returns an unsubscribe function,
 * and `cancel(callId)`.
 */
import type { OperationInput, OperationName, OperationOutput, Subscriptions } from '../../preload/contract/operations';
import type { Result } from '../../preload/contract/result';

/** The group of an operation name: `certificates` for `certificates.upload`. */
type GroupOf<N extends string> = N extends `${infer G}.${string}` ? G : never;

/** The verbs of a group: `upload`, `delete`… for `certificates`. */
type VerbOf<N extends string, G extends string> = N extends `${G}.${infer V}` ? V : never;

/** The operation named by a group and a verb. */
type OperationOf<G extends string, V extends string> = Extract<OperationName, `${G}.${V}`>;

/** One group of bridge methods. */
type BridgeGroup<G extends string> = {
  readonly [V in VerbOf<OperationName, G>]: (
    input: OperationInput<OperationOf<G, V>>,
    /** Names the call for `cancel`. */
    callId?: string,
  ) => Promise<Result<OperationOutput<OperationOf<G, V>>>>;
};

/** What the preload exposes on `window.certgate`. */
export type CertGateBridge = {
  readonly [G in GroupOf<OperationName>]: BridgeGroup<G>;
} & {
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void;
  /** Cancel the call sent with this id (its parse stops in main; the call answers `cancelled`). */
  cancel(callId: string): void;
};

declare global {
  interface Window {
    /** Present only in the Electron app, where the preload defines it. */
    certgate?: CertGateBridge;
  }
}
