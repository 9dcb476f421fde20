/**
 * The bridge (the only file that may import ipcRenderer): `window.certgate` exposes one method per contract
 * operation, grouped by feature (`certgate.certificates.upload(input)`), and `subscribe` for the contract's
 * event channels, and `cancel(callId)`: a call sent with an id (a string the page chooses) is cancelled by it,
 * since an AbortSignal cannot cross the bridge. Nothing else crosses: no ipcRenderer, no event objects, no Node.
 *
 * Runs sandboxed, so it is built as one self-contained CommonJS file (see electron.vite.config.ts).
 * The renderer's `renderer/client/bridge-types.ts` types this object from the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CANCEL_CHANNEL, eventChannel, operationChannel, operationNames, subscriptionChannels } from './contract/operations';

const CHANNELS: readonly string[] = subscriptionChannels;

function buildBridge(): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const name of operationNames) {
    const dot = name.indexOf('.');
    const group = name.slice(0, dot);
    const verb = name.slice(dot + 1);
    const methods = (bridge[group] ??= {}) as Record<string, unknown>;
    const channel = operationChannel(name);
    methods[verb] = (input: unknown, callId?: unknown) =>
      typeof callId === 'string' ? ipcRenderer.invoke(channel, input, callId) : ipcRenderer.invoke(channel, input);
  }
  bridge.cancel = (callId: unknown) => {
    if (typeof callId !== 'string') throw new TypeError('certgate.cancel: the call id must be a string.');
    ipcRenderer.send(CANCEL_CHANNEL, callId);
  };
  bridge.subscribe = (channel: unknown, listener: unknown) => {
    if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
      throw new TypeError(`certgate.subscribe: unknown channel; use one of ${CHANNELS.join(', ')}.`);
    }
    if (typeof listener !== 'function') throw new TypeError('certgate.subscribe: the listener must be a function.');
    const wire = eventChannel(channel as (typeof subscriptionChannels)[number]);
    // The page gets the payload only: the IpcRendererEvent would hand it `sender`, i.e. ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown) => {
      (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(wire, forward);
    return () => {
      ipcRenderer.removeListener(wire, forward);
    };
  };
  return bridge;
}

contextBridge.exposeInMainWorld('certgate', buildBridge());
