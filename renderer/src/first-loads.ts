/**
 * What the console loads first, asked for before it renders. `main.tsx` asks at once for what the window's
 * first page shows, and only then loads React, Fluent UI and the pages: the answers travel while that code
 * evaluates, instead of after the first render. `useResource` takes them for the hooks of the first render
 * (rendering with the answers already in when they have arrived) and then forgets them: every later load,
 * refresh or page asks the client again.
 */
import type { CertGateClient, OperationInput, OperationName, OperationOutput } from '../../preload/contract/operations';
import type { Result } from '../../preload/contract/result';
import { parseRoute } from './shell/router';

/** One loaded value: the key `useResource` knows it by, and how to ask for it. */
export interface Load<T> {
  readonly key: string;
  readonly load: (client: CertGateClient) => Promise<Result<T>>;
}

function call<N extends OperationName>(key: string, name: N, input: OperationInput<N>): Load<OperationOutput<N>> {
  return { key, load: (client) => client.call(name, input) };
}

/** The expiry warning window, in days: the nav badge and the certificates page's banner use the same. */
export const EXPIRY_WINDOW_DAYS = 30;

/** The loads the feature hooks share with the first page's prefetch (same key, same call). */
export const loads = {
  settings: call('settings', 'settings.get', {}),
  appInfo: call('app-info', 'app.info', {}),
  gateway: call('gateway', 'gateway.status', {}),
  expiring: call('expiring', 'certificates.expiring', { withinDays: EXPIRY_WINDOW_DAYS }),
  certificates: call('certificates', 'certificates.list', {}),
  rotations: call('rotations', 'certificates.rotations', {}),
  apis: call('apis', 'apis.list', {}),
  apiCredentials: call('security:list', 'security.list', {}),
} as const;

/** What the page at `hash` shows on its first render, the shell's own loads included (the others load lazily). */
function firstLoads(hash: string): readonly Load<unknown>[] {
  const shell = [loads.settings, loads.appInfo, loads.gateway, loads.expiring];
  const { page } = parseRoute(hash);
  if (page === 'apis') return [...shell, loads.apis, loads.apiCredentials];
  if (page === 'client-certificates') return [...shell, loads.certificates, loads.rotations, loads.apis];
  return shell;
}

interface Primed {
  readonly answer: Promise<Result<unknown>>;
  settled?: Result<unknown>;
}

const primed = new Map<string, Primed>();

/** Ask now for everything the first page at `hash` shows. */
export function primeFirstPage(client: CertGateClient, hash: string): void {
  for (const { key, load } of firstLoads(hash)) {
    const entry: Primed = { answer: load(client) };
    void entry.answer.then((result) => (entry.settled = result));
    primed.set(key, entry);
  }
}

/** The primed answer for `key` if it has already arrived (the first render then shows it at once). */
export function primedResult<T>(key: string): Result<T> | undefined {
  return primed.get(key)?.settled as Result<T> | undefined;
}

/** The primed answer for `key`, arrived or on its way, if any. */
export function primedAnswer<T>(key: string): Promise<Result<T>> | undefined {
  return primed.get(key)?.answer as Promise<Result<T>> | undefined;
}

/** Forget the primed answers (after the first render's hooks took theirs: later loads ask afresh). */
export function forgetPrimed(): void {
  primed.clear();
}
