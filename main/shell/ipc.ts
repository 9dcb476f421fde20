/**
 * The IPC edge (the only file that may import ipcMain): one handler per contract operation. Every call is
 * checked to come from the app window's own main frame on the app's own origin, then parsed with the
 * contract's schema by `dispatch`, so a bad payload gets a `validation` value and never reaches the core.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { fail, type Result } from '../../preload/contract/result';
import { eventChannel, operationChannel, operationNames, type Operations, type Subscriptions } from '../../preload/contract/operations';
import type { AppLocation } from './app-protocol';
import { dispatch } from '../core/dispatch/dispatch';

/** What the IPC edge needs from the running app. */
export interface IpcOptions {
  /** The app window, or null while there is none (macOS with every window closed). */
  readonly getWindow: () => BrowserWindow | null;
  readonly location: AppLocation;
  readonly operations: Operations;
  readonly subscribe: <C extends keyof Subscriptions>(channel: C, listener: (event: Subscriptions[C]) => void) => () => void;
  /** Traffic events forwarded per second at most; the rest stay in the log (`gateway.traffic`). */
  readonly maxTrafficEventsPerSecond?: number;
}

/** True when an IPC call comes from the app window's main frame, showing one of the app's own pages. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, location: AppLocation): boolean {
  try {
    if (!window || window.isDestroyed()) return false;
    const contents = window.webContents;
    if (event.sender.id !== contents.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame !== contents.mainFrame) return false;
    return location.isAppUrl(frame.url);
  } catch {
    // The frame was disposed while we looked at it: not a caller we can trust.
    return false;
  }
}

/** Register every operation's handler and forward subscriptions to the window; returns the undo function. */
export function registerIpc(options: IpcOptions): () => void {
  for (const name of operationNames) {
    ipcMain.handle(operationChannel(name), async (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, options.getWindow(), options.location)) {
        return fail('forbidden', `CertGate refused "${name}": the request did not come from CertGate's own window.`);
      }
      return dispatch(options.operations, name, payload);
    });
  }

  const send = (channel: keyof Subscriptions, payload: unknown) => {
    const window = options.getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(eventChannel(channel), payload);
  };
  const limit = options.maxTrafficEventsPerSecond ?? 200;
  let windowStart = 0;
  let sentInWindow = 0;
  const unsubscribes = [
    options.subscribe('changes', (e) => send('changes', e)),
    options.subscribe('traffic', (e) => {
      // Under heavy load the window would drown in events it cannot draw; the log keeps every entry.
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        sentInWindow = 0;
      }
      if (sentInWindow >= limit) return;
      sentInWindow += 1;
      send('traffic', e);
    }),
  ];

  return () => {
    for (const name of operationNames) ipcMain.removeHandler(operationChannel(name));
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
