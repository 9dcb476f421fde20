import { describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../../../preload/contract';
import { EventHub } from '../../../../main/core/services/events';

const entry = { requestId: 'r1' } as TrafficEntry;

/** A source that counts how often it is attached and detached, and can push an entry while attached. */
function source(hub: EventHub) {
  const counts = { attached: 0, detached: 0 };
  let live = false;
  const attach = () => {
    counts.attached += 1;
    live = true;
    return () => {
      counts.detached += 1;
      live = false;
    };
  };
  return { counts, attach, push: () => live && hub.emit('traffic', entry) };
}

describe('EventHub feeds', () => {
  it('attach the source at the first listener and detach it when the last has gone', () => {
    const hub = new EventHub();
    const s = source(hub);
    hub.feed('traffic', s.attach);
    expect(s.counts).toEqual({ attached: 0, detached: 0 });
    const seen: string[] = [];
    const a = hub.subscribe('traffic', (e) => seen.push(`a:${e.requestId}`));
    const b = hub.subscribe('traffic', (e) => seen.push(`b:${e.requestId}`));
    expect(s.counts).toEqual({ attached: 1, detached: 0 });
    s.push();
    expect(seen).toEqual(['a:r1', 'b:r1']);
    a();
    a();
    expect(s.counts).toEqual({ attached: 1, detached: 0 });
    b();
    expect(s.counts).toEqual({ attached: 1, detached: 1 });
    hub.subscribe('traffic', () => undefined);
    expect(s.counts).toEqual({ attached: 2, detached: 1 });
  });

  it('attach at once when the channel already has listeners, and detach when the feed is removed', () => {
    const hub = new EventHub();
    hub.subscribe('traffic', () => undefined);
    const s = source(hub);
    const remove = hub.feed('traffic', s.attach);
    expect(s.counts).toEqual({ attached: 1, detached: 0 });
    remove();
    remove();
    expect(s.counts).toEqual({ attached: 1, detached: 1 });
  });

  it('leave other channels alone: a changes listener attaches no traffic source', () => {
    const hub = new EventHub();
    const s = source(hub);
    hub.feed('traffic', s.attach);
    hub.subscribe('changes', () => undefined);
    expect(s.counts.attached).toBe(0);
  });

  it('replace a feed: the first is detached, the second attached', () => {
    const hub = new EventHub();
    hub.subscribe('traffic', () => undefined);
    const first = source(hub);
    const second = source(hub);
    const removeFirst = hub.feed('traffic', first.attach);
    hub.feed('traffic', second.attach);
    expect(first.counts).toEqual({ attached: 1, detached: 1 });
    expect(second.counts).toEqual({ attached: 1, detached: 0 });
    removeFirst();
    expect(second.counts.detached).toBe(0);
  });
});
