import { EventEmitter } from 'node:events';
import type { Subscriptions } from '../../../preload/contract';

/** A typed publish/subscribe hub for the contract's subscription channels (changes, traffic), with on-demand feeds. */
export class EventHub {
  readonly #emitter = new EventEmitter();
  /** Sources kept attached while their channel has listeners (see `feed`). */
  readonly #feeds = new Map<keyof Subscriptions, { readonly attach: () => () => void; detach: (() => void) | null }>();

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
    // A fresh function per subscription, so that unsubscribing twice, or two subscriptions of one listener,
    // can never take another's place in the count.
    const own = (event: Subscriptions[C]) => listener(event);
    this.#emitter.on(channel, own);
    if (this.#emitter.listenerCount(channel) === 1) this.#attach(channel);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#emitter.off(channel, own);
      if (this.#emitter.listenerCount(channel) === 0) this.#detach(channel);
    };
  }

  /**
   * Keep a source attached while a channel has listeners: `attach` runs at the first subscription (at once if
   * there are listeners already), the function it returns once the last one has gone. The gateway's traffic
   * is fed this way: with no one listening, no entry is built per call. Returns the function that removes
   * the feed (and detaches it). One feed per channel; a second replaces the first.
   */
  feed(channel: keyof Subscriptions, attach: () => () => void): () => void {
    this.#detach(channel);
    const feed = { attach, detach: null as (() => void) | null };
    this.#feeds.set(channel, feed);
    if (this.#emitter.listenerCount(channel) > 0) this.#attach(channel);
    return () => {
      if (this.#feeds.get(channel) !== feed) return;
      this.#detach(channel);
      this.#feeds.delete(channel);
    };
  }

  #attach(channel: keyof Subscriptions): void {
    const feed = this.#feeds.get(channel);
    if (feed && feed.detach === null) feed.detach = feed.attach();
  }

  #detach(channel: keyof Subscriptions): void {
    const feed = this.#feeds.get(channel);
    if (!feed || feed.detach === null) return;
    const detach = feed.detach;
    feed.detach = null;
    detach();
  }
}
