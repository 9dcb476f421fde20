/**
 * Reading request bodies within bounds: the declared length is checked before a byte is read, and the bytes
 * are counted as they stream, so an oversized body is refused without ever being held whole.
 */
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Result } from '../../../preload/contract';

/** The largest request body accepted: a 10 MiB certificate file is ~13.4 MiB as base64 inside JSON. */
const MAX_BODY_BYTES = 15 * 1024 * 1024;

/** The JSON media type every JSON body must declare. */
export const JSON_TYPE = 'application/json';

/** The media type of a request (lower case, without parameters), or null when none is declared. */
export function mediaTypeOf(req: IncomingMessage): string | null {
  const header = req.headers['content-type'];
  if (header === undefined) return null;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === '' ? null : type;
}

/** True when the request announces a body (a non-zero length, or chunked transfer). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Read a body of one of the accepted media types as text. No body at all gives `null`; a body of another
 * type `unsupported-media-type`; a body over the limit `too-large`, decided from Content-Length up front
 * or by counting bytes as they arrive.
 */
export async function readTextBody(req: IncomingMessage, accepted: readonly string[], limit = MAX_BODY_BYTES): Promise<Result<string | null>> {
  if (!hasBody(req)) return ok(null);
  const type = mediaTypeOf(req);
  if (type === null || !accepted.includes(type)) {
    return fail('unsupported-media-type', `This request needs a body of type ${accepted.join(' or ')}${type ? `, not ${type}` : ''}.`);
  }
  const bytes = await readBytes(req, limit);
  if (!bytes.ok) return bytes;
  const text = bytes.value.toString('utf8');
  return ok(text.startsWith('\uFEFF') ? text.slice(1) : text);
}

/** Read a JSON body (`application/json` unless told otherwise): `null` when there is none, `validation` when malformed. */
export async function readJsonBody(req: IncomingMessage, accepted: readonly string[] = [JSON_TYPE], limit = MAX_BODY_BYTES): Promise<Result<unknown>> {
  const text = await readTextBody(req, accepted, limit);
  if (!text.ok || text.value === null || text.value.trim() === '') return text.ok ? ok(null) : text;
  try {
    return ok(JSON.parse(text.value) as unknown);
  } catch {
    return fail('validation', 'The request body is not valid JSON.');
  }
}

function tooLarge(limit: number): Result<never> {
  return fail('too-large', `The request body is larger than ${limit / 1024 / 1024} MiB.`);
}

/** The body limit of the OpenAPI import routes: a 32 MiB document, plus what JSON escaping adds. */
export const IMPORT_MAX_BODY_BYTES = 40 * 1024 * 1024;

function readBytes(req: IncomingMessage, limit: number): Promise<Result<Buffer>> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) return Promise.resolve(tooLarge(limit));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: Result<Buffer>): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        // Stop reading: the caller answers 413 and closes the connection.
        req.pause();
        chunks.length = 0;
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(ok(Buffer.concat(chunks, total)));
    const onError = (): void => finish(fail('validation', 'The request body was cut off.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
