/**
 * The IPC edge (the only file that may import ipcMain): one handler per contract operation. Every call is
 * checked to come from the app window's own main frame on the app's own origin, then parsed with the
 * contract's schema by `dispatch`, so a bad payload gets a `validation` value and never reaches the core.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { fail, type Result } from '../../preload/contract/result';
import {
  CANCEL_CHANNEL,
  eventChannel,
  operationChannel,
  operationNames,
  type OperationName,
  type Operations,
  type Subscriptions,
} from '../../preload/contract/operations';
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
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent | IpcMainEvent, 'sender' | 'senderFrame'>,
  window: BrowserWindow | null,
  location: AppLocation,
): boolean {
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
  const calls = new CallRegistry();
  for (const name of operationNames) {
    ipcMain.handle(operationChannel(name), async (event: IpcMainInvokeEvent, payload: unknown, callId?: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, options.getWindow(), options.location)) {
        return fail('forbidden', `CertGate refused "${name}": the request did not come from CertGate's own window.`);
      }
      return calls.run(event.sender, callId, (signal) => dispatch(options.operations, name as OperationName, payload, { signal }));
    });
  }
  // A call's cancel comes on its own channel (an AbortSignal cannot cross the bridge): `callId` names the call.
  const cancel = (event: IpcMainEvent, callId: unknown) => {
    if (isTrustedSender(event, options.getWindow(), options.location)) calls.cancel(event.sender, callId);
  };
  ipcMain.on(CANCEL_CHANNEL, cancel);

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
    ipcMain.removeListener(CANCEL_CHANNEL, cancel);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

/**
 * The calls in flight that a window may cancel, by (webContents, call id). A window that goes away (closed,
 * crashed) cancels all of its calls: nobody is left to read their answers.
 */
class CallRegistry {
  /** Per webContents id: its calls in flight (those sent without an id get a private key). */
  readonly #bySender = new Map<number, Map<unknown, AbortController>>();

  async run<T>(sender: WebContents, callId: unknown, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const key = typeof callId === 'string' && callId.length > 0 && callId.length <= 100 ? callId : Symbol('call');
    const calls = this.#callsOf(sender);
    calls.set(key, controller);
    try {
      return await call(controller.signal);
    } finally {
      if (calls.get(key) === controller) calls.delete(key);
    }
  }

  cancel(sender: WebContents, callId: unknown): void {
    if (typeof callId === 'string') this.#bySender.get(sender.id)?.get(callId)?.abort();
  }

  #callsOf(sender: WebContents): Map<unknown, AbortController> {
    let calls = this.#bySender.get(sender.id);
    if (!calls) {
      const mine = new Map<unknown, AbortController>();
      calls = mine;
      this.#bySender.set(sender.id, mine);
      sender.once('destroyed', () => {
        this.#bySender.delete(sender.id);
        for (const controller of mine.values()) controller.abort();
      });
    }
    return calls;
  }
}
