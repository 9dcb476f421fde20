import { EventEmitter } from 'node:events';
import type { Subscriptions } from '../../../preload/contract';

/** A typed publish/subscribe hub for the contract's subscription channels (changes, traffic). */
export class EventHub {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Many consoles and SSE clients may listen at once; each unsubscribes itself.
    this.#emitter.setMaxListeners(0);
  }

  /** Publish an event to every listener of a channel; a listener that throws cannot break the others. */
  emit<C extends keyof Subscriptions>(channel: C, event: Subscriptions[C]): void {
    for (const listener of this.#emitter.listeners(channel)) {
      try {
        (listener as (e: Subscriptions[C]) => void)(event);
      } catch {
        // A subscriber's bug must not stop a committed change from reaching the others.
      }
    }
  }

  /** Listen to a channel; returns the unsubscribe function. */
  subscribe<C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
    this.#emitter.on(channel, listener);
    return () => {
      this.#emitter.off(channel, listener);
    };
  }
}
