/**
 * Gateway → Export: the configuration of every API for a production gateway (Kong, nginx, Azure API
 * Management), previewed file by file with a download for each. Private keys never leave CertGate through
 * the console: the files that need one are listed, and the CLI writes them on this machine.
 */
import {
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { EmptyState, ErrorBar, Loading } from '../shell/feedback';
import { Page } from '../shell/page';
import { ExportFileView } from './export-file';
import { exportFormats, useExportPreview, type ExportFormat } from './use-export';

const useStyles = makeStyles({
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: `0 ${tokens.spacingHorizontalXS}`,
    borderRadius: tokens.borderRadiusSmall,
    wordBreak: 'break-all',
  },
  files: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  warnings: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL },
});

/** The folder the CLI command suggests for each format. */
const OUT_DIRS: Readonly<Record<ExportFormat, string>> = { kong: './kong-export', nginx: './nginx-export', apim: './apim-export' };

/** The Export page. */
export function ExportPage() {
  const i18n = useI18n();
  const styles = useStyles();
  const [format, setFormat] = useState<ExportFormat>('kong');
  const preview = useExportPreview(format);
  const command = `certgate export --format ${format} --out ${OUT_DIRS[format]} --with-keys`;

  let body;
  if (preview.loading) body = <Loading />;
  else if (!preview.data) body = preview.error && <ErrorBar error={preview.error} onRetry={() => void preview.refresh()} />;
  else if (preview.data.files.length === 0) body = <EmptyState title={i18n.t('export.empty.title')} body={i18n.t('export.empty.body')} />;
  else {
    const { files, warnings } = preview.data;
    body = (
      <>
        {preview.error && <ErrorBar error={preview.error} onRetry={() => void preview.refresh()} />}
        {warnings.length > 0 && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{i18n.tn('export.warnings', warnings.length)}</MessageBarTitle>
              <ul className={styles.warnings}>
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        )}
        <section className={styles.section} aria-labelledby="export-files">
          <Text as="h2" size={500} weight="semibold" id="export-files">
            {i18n.tn('export.files', files.length)}
          </Text>
          <ul className={styles.files}>
            {files.map((file, index) => (
              <ExportFileView key={`${format}:${file.path}`} file={file} initiallyOpen={index === 0} />
            ))}
          </ul>
        </section>
      </>
    );
  }

  return (
    <Page title={i18n.t('export.title')} intro={i18n.t('export.intro')}>
      <Field label={i18n.t('export.format')} hint={i18n.t(`export.format.${format}.hint`)}>
        <RadioGroup layout="horizontal" value={format} onChange={(_, data) => setFormat(data.value as ExportFormat)}>
          {exportFormats.map((f) => (
            <Radio key={f} value={f} label={i18n.t(`export.format.${f}`)} />
          ))}
        </RadioGroup>
      </Field>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t('export.keysTitle')}</MessageBarTitle>
          {i18n.rich('export.keysNote', { command: <code className={styles.code}>certgate export --with-keys</code> })}{' '}
          {i18n.rich('export.keysCommand', { command: <code className={styles.code}>{command}</code> })}
        </MessageBarBody>
      </MessageBar>
      {body}
    </Page>
  );
}
