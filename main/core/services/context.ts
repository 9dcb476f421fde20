import type { EventHub } from './events';
import type { Store } from '../store/store';
import type { Vault } from '../vault/vault';
import { UsageCache } from './usage';

/** What every service works with: injected, so tests can pass real ones on temp folders or fakes. */
export interface ServiceContext {
  readonly store: Store;
  readonly vault: Vault;
  readonly events: EventHub;
  readonly usage: UsageCache;
  /** The clock: ISO timestamps for created/updated fields. */
  readonly now: () => Date;
}

/** Build a context with a fresh usage cache. */
export function serviceContext(parts: Omit<ServiceContext, 'usage'>): ServiceContext {
  return { ...parts, usage: new UsageCache() };
}
