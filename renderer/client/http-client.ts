/**
 * The client for browser mode (`certgate serve`): `POST /_rpc/{operation}` with the input as JSON and the
 * Result as the answer, and one shared server-sent events stream (`GET /_events`) for every subscription.
 */
import type { CallOptions, CertGateClient, OperationInput, OperationName, OperationOutput, Subscriptions } from '../../preload/contract/operations';
import { fail, isResult, type Result } from '../../preload/contract/result';
import { RESYNC_EVENT } from './resync';
import { NETWORK_REASON } from './result';
import { openEventStream, type Backoff, type SseEvent } from './sse';

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /** Where the admin API is; '' for the page's own origin. */
  readonly baseUrl?: string;
  readonly token: () => string | null;
  readonly fetch?: typeof fetch;
  readonly backoff?: Backoff;
}

type Channel = keyof Subscriptions;
type AnyListener = (event: unknown) => void;

const CHANNELS: readonly Channel[] = ['changes', 'traffic'];

/** Where and how `callOverHttp` posts. */
interface Rpc {
  readonly base: string;
  readonly fetch: typeof fetch;
  readonly headers: () => Record<string, string>;
}

/** One operation as `POST /_rpc/{name}`; every transport failure is a Result. */
async function callOverHttp<N extends OperationName>(
  rpc: Rpc,
  name: N,
  input: OperationInput<N>,
  options?: CallOptions,
): Promise<Result<OperationOutput<N>>> {
  // Aborting closes the connection: the server stops the call (a parse in progress) when it sees it close.
  const signal = options?.signal;
  if (signal?.aborted) return fail('cancelled', `${name} was cancelled.`);
  let response: Response;
  try {
    response = await rpc.fetch(`${rpc.base}/_rpc/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...rpc.headers() },
      body: JSON.stringify(input ?? {}),
      cache: 'no-store',
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) return fail('cancelled', `${name} was cancelled.`);
    return fail('internal', 'CertGate cannot be reached.', {
      reason: NETWORK_REASON,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (signal?.aborted) return fail('cancelled', `${name} was cancelled.`);
  if (isResult(body)) return body as Result<OperationOutput<N>>;
  if (response.status === 401) return fail('unauthorized', 'The console is not signed in.');
  if (response.status === 403) return fail('forbidden', 'CertGate refused the request.');
  return fail('internal', `CertGate answered ${name} with HTTP ${response.status} and no result.`);
}

/** Create the HTTP client. Transport failures come back as `internal` failures, never as throws. */
export function createHttpClient(options: HttpClientOptions): CertGateClient {
  const base = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
  const listeners = new Map<Channel, Set<AnyListener>>(CHANNELS.map((c) => [c, new Set()]));
  let closeStream: (() => void) | null = null;

  function authHeaders(): Record<string, string> {
    const token = options.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  function dispatch(event: SseEvent): void {
    const channel = CHANNELS.find((c) => c === event.event);
    if (!channel) return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
  }

  /** After a reconnection, every `changes` listener loads again: the events sent meanwhile are lost. */
  function resync(reconnected: boolean): void {
    if (!reconnected) return;
    for (const listener of [...(listeners.get('changes') ?? [])]) listener(RESYNC_EVENT);
  }

  function listenerCount(): number {
    let n = 0;
    for (const set of listeners.values()) n += set.size;
    return n;
  }

  return {
    call<N extends OperationName>(name: N, input: OperationInput<N>, callOptions?: CallOptions): Promise<Result<OperationOutput<N>>> {
      return callOverHttp({ base, fetch: fetchImpl, headers: authHeaders }, name, input, callOptions);
    },

    subscribe<C extends Channel>(channel: C, listener: (event: Subscriptions[C]) => void): () => void {
      const set = listeners.get(channel);
      if (!set) return () => {};
      // Wrap so that the same function subscribed twice gets two independent subscriptions.
      const entry: AnyListener = (event) => listener(event as Subscriptions[C]);
      set.add(entry);
      if (!closeStream) {
        closeStream = openEventStream({
          url: `${base}/_events`,
          headers: authHeaders,
          fetch: fetchImpl,
          backoff,
          onEvent: dispatch,
          onOpen: resync,
        });
      }
      return () => {
        set.delete(entry);
        if (listenerCount() === 0 && closeStream) {
          closeStream();
          closeStream = null;
        }
      };
    },
  };
}
