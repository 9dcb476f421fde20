/**
 * The bounded in-memory log of recent calls: a ring buffer (no growth, no shifting) plus subscribers.
 */
import type { TrafficEntry } from '../../../preload/contract';

/** A fixed-size ring of the most recent traffic entries, with listeners for each new one. */
export class TrafficLog {
  private readonly ring: (TrafficEntry | undefined)[];
  private next = 0;
  private count = 0;
  private readonly listeners = new Set<(entry: TrafficEntry) => void>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('The traffic log needs a capacity of at least 1.');
    this.ring = new Array<TrafficEntry | undefined>(capacity);
  }

  /** Record a finished call and tell every listener; a listener that throws does not stop the others. */
  add(entry: TrafficEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // A subscriber's bug must not break the proxy.
      }
    }
  }

  /** The most recent entries, newest last, at most `limit` (default: all kept). */
  recent(limit = this.capacity): TrafficEntry[] {
    const n = Math.max(0, Math.min(Math.floor(limit), this.count));
    const out: TrafficEntry[] = new Array<TrafficEntry>(n);
    for (let i = 0; i < n; i++) {
      const idx = (this.next - n + i + this.capacity) % this.capacity;
      out[i] = this.ring[idx] as TrafficEntry;
    }
    return out;
  }

  /** Find a kept entry by request id (newest first). */
  find(requestId: string): TrafficEntry | null {
    for (let i = 1; i <= this.count; i++) {
      const e = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (e?.requestId === requestId) return e;
    }
    return null;
  }

  /** Listen to each new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: TrafficEntry) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
