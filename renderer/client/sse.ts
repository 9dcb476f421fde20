/** A small server-sent events reader over fetch, since EventSource cannot send an Authorization header. */

/** One parsed event: its name (`message` when unnamed) and its data lines joined by "\n". */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** A push parser for the `text/event-stream` format; feed it decoded text in any chunking. */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  let buffer = '';
  let eventName = '';
  let data: string[] = [];
  let pendingCr = false;

  function line(text: string): void {
    if (text === '') {
      if (data.length > 0) onEvent({ event: eventName || 'message', data: data.join('\n') });
      eventName = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') data.push(value);
  }

  return (chunk: string) => {
    let text = chunk;
    // A "\r\n" split across chunks: the "\n" belongs to the line the "\r" ended.
    if (pendingCr && text.startsWith('\n')) text = text.slice(1);
    pendingCr = false;
    buffer += text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      line(buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 < buffer.length) {
          if (buffer[i + 1] === '\n') i++;
        } else {
          pendingCr = true;
        }
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}

/** How a stream reconnects: the first delay, doubled after each failure up to the maximum. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Options of `openEventStream`. */
export interface EventStreamOptions {
  readonly url: string;
  readonly headers: () => Record<string, string>;
  readonly fetch: typeof fetch;
  readonly backoff: Backoff;
  readonly onEvent: (event: SseEvent) => void;
  /**
   * Called each time the stream is open; `reconnected` is false only when the very first attempt succeeds.
   * After a reconnection the events sent meanwhile are lost: listeners should load their data again.
   */
  readonly onOpen?: (reconnected: boolean) => void;
}

/** Read an event stream, reconnecting with exponential backoff until the returned function is called. */
export function openEventStream(options: EventStreamOptions): () => void {
  let stopped = false;
  let delay = options.backoff.initialMs;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempts = 0;

  async function connect(): Promise<void> {
    timer = null;
    attempts++;
    controller = new AbortController();
    try {
      const response = await options.fetch(options.url, {
        headers: { Accept: 'text/event-stream', ...options.headers() },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) throw new Error(`The event stream answered ${response.status}.`);
      if (!stopped) options.onOpen?.(attempts > 1);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const push = createSseParser(options.onEvent);
      for (;;) {
        const { done, value } = await reader.read();
        if (done || stopped) break;
        // Data flows: the connection is healthy, so the next failure starts the backoff again.
        delay = options.backoff.initialMs;
        push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Network errors and aborts end this attempt; the loop below decides whether to retry.
    }
    if (stopped) return;
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, options.backoff.maxMs);
  }

  void connect();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    controller?.abort();
  };
}
