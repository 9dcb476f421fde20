/**
 * An API's Test tab: send one request through the gateway and see the status, time, headers, body, the
 * certificate presented and, for a gateway error, what it means.
 */
import {
  Button,
  Field,
  Input,
  makeStyles,
  Select,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { Api, TestCallResult } from '../../../preload/contract/model';
import type { AppError } from '../../../preload/contract/result';
import type { OperationInput } from '../../../preload/contract/operations';
import { useI18n } from '../../i18n';
import { useGateway } from '../gateway/use-gateway';
import { ErrorBar } from '../shell/feedback';
import { TestResultView } from './test-result';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: '140px 1fr', gap: tokens.spacingHorizontalM, alignItems: 'end', maxWidth: '960px' },
  wide: { gridColumn: '1 / -1' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, marginTop: tokens.spacingVerticalM },
});

type Method = OperationInput<'gateway.testCall'>['method'];
const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

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

/** The Test tab. */
export function TestTab(props: { readonly api: Api; readonly gatewayUrl: string | null }) {
  const i18n = useI18n();
  const styles = useStyles();
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
      apiId: props.api.id,
      method,
      path,
      ...(Object.keys(parsed.headers).length > 0 && { headers: parsed.headers }),
      ...(body !== '' && method !== 'GET' && method !== 'HEAD' && { body }),
    });
    setBusy(false);
    if (answer.ok) {
      setResult(answer.value);
    } else {
      setResult(null);
      setError(answer.error);
    }
  };

  return (
    <div className={styles.root}>
      <Text as="p">{i18n.t('test.intro')}</Text>
      <form className={styles.form} onSubmit={(e) => void send(e)} noValidate>
        <Field label={i18n.t('test.method')}>
          <Select value={method} onChange={(_, d) => setMethod(d.value as Method)}>
            {methods.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={i18n.t('test.path')} hint={i18n.t('test.pathHint')}>
          <Input
            className={styles.mono}
            value={path}
            onChange={(_, d) => setPath(d.value)}
            contentBefore={props.gatewayUrl ? <Text size={200}>{props.gatewayUrl}</Text> : undefined}
          />
        </Field>
        <Field
          className={styles.wide}
          label={i18n.t('test.headers')}
          hint={i18n.t('test.headersHint')}
          validationState={headerError ? 'error' : 'none'}
          validationMessage={headerError ?? undefined}
        >
          <Textarea className={styles.mono} rows={3} value={headersText} onChange={(_, d) => setHeadersText(d.value)} resize="vertical" />
        </Field>
        {method !== 'GET' && method !== 'HEAD' && (
          <Field className={styles.wide} label={i18n.t('test.body')}>
            <Textarea className={styles.mono} rows={4} value={body} onChange={(_, d) => setBody(d.value)} resize="vertical" />
          </Field>
        )}
        <div className={styles.wide}>
          <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {i18n.t('test.send')}
          </Button>
        </div>
      </form>
      {error && <ErrorBar error={error} />}
      {result && <TestResultView result={result} />}
    </div>
  );
}
