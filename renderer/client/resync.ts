/**
 * A synthetic change that tells every `changes` subscriber to load again: events sent while the console was
 * disconnected (the event stream dropped and reconnected) are lost, so whatever was loaded may be stale.
 * It is made by the client itself, never by CertGate: `*` is not a valid id, so no real change matches it.
 */
import type { ChangeEvent } from '../../preload/contract/model';

const RESYNC_ID = '*';

/** The resync event (kind and action are placeholders; subscribers recognise it with `isResync`). */
export const RESYNC_EVENT: ChangeEvent = Object.freeze({ kind: 'settings', action: 'updated', id: RESYNC_ID });

/** True for the client's synthetic "anything may have changed" event. */
export function isResync(event: ChangeEvent): boolean {
  return event.id === RESYNC_ID;
}
