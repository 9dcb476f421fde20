/** The Test tab's state: the request being written, and sending it through the gateway. */
import { useState, type FormEvent } from 'react';
import type { TestCallResult } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { OperationInput } from '../../../preload/contract/operations';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';

/** An HTTP method the test call can send. */
export type Method = OperationInput<'gateway.testCall'>['method'];

/** Parse "Name: value" lines; the number of the first bad line otherwise. */
function parseHeaders(text: string): { headers: Record<string, string> } | { badLine: number } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { badLine: i + 1 };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/** Whether a request with this method carries a body. */
export function sendsBody(method: Method): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** The request's fields, the answer (or error), and `send` for the form. */
export function useTestCall(apiId: string) {
  const i18n = useI18n();
  const { testCall } = useGateway();
  const [method, setMethod] = useState<Method>('GET');
  const [path, setPath] = useState('/');
  const [headersText, setHeadersText] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [headerError, setHeaderError] = useState<string | null>(null);
  const [result, setResult] = useState<TestCallResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const parsed = parseHeaders(headersText);
    if ('badLine' in parsed) return setHeaderError(i18n.t('test.badHeader', { line: parsed.badLine }));
    setHeaderError(null);
    setBusy(true);
    setError(null);
    const answer = await testCall({
      apiId,
      method,
      path,
      ...(Object.keys(parsed.headers).length > 0 && { headers: parsed.headers }),
      ...(body !== '' && sendsBody(method) && { body }),
    });
    setBusy(false);
    if (answer.ok) {
      setResult(answer.value);
    } else {
      setResult(null);
      setError(answer.error);
    }
  };

  return { method, setMethod, path, setPath, headersText, setHeadersText, body, setBody, busy, headerError, result, error, send };
}
