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
import type { Api } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { TestResultView } from './test-result';
import { sendsBody, useTestCall, type Method } from './use-test-call';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: '140px 1fr', gap: tokens.spacingHorizontalM, alignItems: 'end', maxWidth: '960px' },
  wide: { gridColumn: '1 / -1' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, marginTop: tokens.spacingVerticalM },
});

const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The Test tab. */
export function TestTab(props: { readonly api: Api; readonly gatewayUrl: string | null }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { method, setMethod, path, setPath, headersText, setHeadersText, body, setBody, busy, headerError, result, error, send } =
    useTestCall(props.api.id);

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
        {sendsBody(method) && (
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
