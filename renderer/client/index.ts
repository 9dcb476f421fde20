/** Picks the client for where the console runs: IPC inside the Electron app, HTTP in a browser. */
import type { CertGateClient } from '../../preload/contract/operations';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';
import { takeToken } from './token';

/** Create the client. In a browser, read the `#token=` fragment first (and strip it) before any routing. */
export function createClient(): CertGateClient {
  if (window.certgate) return createIpcClient(window.certgate);
  const token = takeToken();
  return createHttpClient({ token: () => token });
}

export { isNetworkError } from './result';
