/**
 * One exported file: its path, "Download", and its content (shown or hidden on demand): XML in a read-only
 * CodeMirror viewer, everything else as plain text. A file that would hold a private key has no content here.
 */
import { Badge, Button, makeStyles, Text, tokens, useId } from '@fluentui/react-components';
import { ArrowDownloadRegular, ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useState } from 'react';
import type { ExportFile } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { Loading } from '../shell/feedback';
import { downloadText } from './download';

// CodeMirror loads on first use, as on the Policies tab.
const XmlViewer = lazy(() => import('./xml-viewer').then((m) => ({ default: m.XmlViewer })));

const useStyles = makeStyles({
  file: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  path: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightSemibold, wordBreak: 'break-all', margin: 0, fontSize: tokens.fontSizeBase300 },
  grow: { flexGrow: 1 },
  pre: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre',
    maxHeight: '60vh',
    overflow: 'auto',
    margin: 0,
  },
});

/** A file of the preview. */
export function ExportFileView(props: { readonly file: ExportFile; readonly initiallyOpen: boolean }) {
  const i18n = useI18n();
  const styles = useStyles();
  const contentId = useId('export-file');
  const [open, setOpen] = useState(props.initiallyOpen);
  const { file } = props;
  const content = file.content;
  const isXml = /\.xml$/i.test(file.path);
  return (
    <li className={styles.file} data-path={file.path}>
      <div className={styles.head}>
        <Text as="h3" className={styles.path}>
          {file.path}
        </Text>
        {file.containsPrivateKey && (
          <Badge appearance="tint" color="warning">
            {i18n.t('export.keyNotIncluded')}
          </Badge>
        )}
        <span className={styles.grow} />
        {content !== null && (
          <>
            <Button
              size="small"
              icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
              aria-expanded={open}
              aria-controls={contentId}
              aria-label={i18n.t(open ? 'export.hideLabel' : 'export.showLabel', { path: file.path })}
              onClick={() => setOpen((o) => !o)}
            >
              {open ? i18n.t('export.hide') : i18n.t('export.show')}
            </Button>
            <Button
              size="small"
              icon={<ArrowDownloadRegular />}
              aria-label={i18n.t('export.downloadLabel', { path: file.path })}
              onClick={() => downloadText(file.path, content)}
            >
              {i18n.t('export.download')}
            </Button>
          </>
        )}
      </div>
      {content === null ? (
        <Text>{i18n.t('export.keyFileNote')}</Text>
      ) : (
        <div id={contentId} hidden={!open}>
          {open &&
            (isXml ? (
              <Suspense fallback={<Loading />}>
                <XmlViewer value={content} label={file.path} />
              </Suspense>
            ) : (
              <pre className={styles.pre} tabIndex={0}>
                {content}
              </pre>
            ))}
        </div>
      )}
    </li>
  );
}
