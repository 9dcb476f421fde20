/**
 * The console's test call: a real HTTP request to the gateway's own listener, so it takes exactly the path
 * of any other call (route, policies, certificate, traffic log), read back into a TestCallResult.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorCodes, fail, ok, type ErrorCode, type Result, type TestCallResult, type TrafficEntry } from '../../../preload/contract';

/** The most body a test call returns; the rest is counted but not kept. */
export const TEST_CALL_BODY_LIMIT = 64 * 1024;
/** A test call stops reading an answer after this much (an endless stream must not hang the console). */
const READ_LIMIT = 8 * 1024 * 1024;

/** What the test call needs from the gateway. */
export interface TestCallTarget {
  /** Host and port of the gateway's listener, reachable from this process. */
  readonly host: string;
  readonly port: number;
  /** The request path on the gateway: '/' + route path + the caller's path. */
  readonly path: string;
  /** Resolve with the traffic entry of a request id once the gateway has recorded it (or null). */
  entryFor(requestId: string): Promise<TrafficEntry | null>;
}

/** The caller's request. */
export interface TestCallRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Join a route path and the caller's path into a gateway request path. */
export function testCallPath(routePath: string, path: string): string {
  const base = routePath === '' ? '' : `/${routePath}`;
  if (path === '') return base === '' ? '/' : base;
  if (path.startsWith('/') || path.startsWith('?')) return base === '' && path.startsWith('?') ? `/${path}` : base + path;
  return `${base}/${path}`;
}

function errorCodeOf(body: string): ErrorCode | null {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && (errorCodes as readonly string[]).includes(code) ? (code as ErrorCode) : null;
  } catch {
    return null;
  }
}

/** Send the request through the gateway and collect the answer. */
export function sendTestCall(target: TestCallTarget, request: TestCallRequest): Promise<Result<TestCallResult>> {
  return new Promise((resolve) => {
    const started = performance.now();
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = { ...request.headers };
    if (body !== undefined) headers['content-length'] = String(body.length);
    let req: http.ClientRequest;
    try {
      req = http.request({ host: target.host, port: target.port, method: request.method, path: target.path, headers, agent: false });
    } catch (err) {
      resolve(fail('validation', `The test call could not be sent: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    req.on('error', (err) => {
      resolve(fail('gateway-unavailable', `The gateway did not answer the test call (${(err as NodeJS.ErrnoException).code ?? err.message}).`));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const requestId = responseHeaders['x-certgate-request-id'] ?? '';
        void target.entryFor(requestId).then((entry) => {
          resolve(
            ok({
              status: res.statusCode ?? 0,
              durationMs,
              headers: responseHeaders,
              body: text,
              bodyTruncated: total > kept,
              certificateId: entry?.certificateId ?? null,
              thumbprint: entry?.thumbprint ?? null,
              errorCode: entry?.errorCode ?? errorCodeOf(text),
            }),
          );
        });
      };
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (kept < TEST_CALL_BODY_LIMIT) {
          const part = chunk.subarray(0, TEST_CALL_BODY_LIMIT - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (total >= READ_LIMIT) {
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
