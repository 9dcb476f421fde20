/** What an OpenAPI import will do, as the core's preview says: the API created or updated, and the operations. */
import { makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import type { OpenApiImportResult } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, maxHeight: '8rem', overflowY: 'auto', fontFamily: tokens.fontFamilyMonospace },
});

/** At most this many ids are listed per kind (a large description has over 1,000 operations). */
const SHOWN = 20;

function Ids(props: { readonly ids: readonly string[]; readonly label: string }) {
  const i18n = useI18n();
  const styles = useStyles();
  if (props.ids.length === 0) return null;
  const more = props.ids.length - SHOWN;
  return (
    <ul className={styles.list} aria-label={props.label}>
      {props.ids.slice(0, SHOWN).map((id) => (
        <li key={id}>{id}</li>
      ))}
      {more > 0 && <li>{i18n.tn('openapi.more', more)}</li>}
    </ul>
  );
}

/** The preview; `removed` operations are a warning (their policies go with them). */
export function ImportPreview(props: { readonly preview: OpenApiImportResult }) {
  const i18n = useI18n();
  const styles = useStyles();
  const p = props.preview;
  const api = i18n.t(p.apiCreated ? 'openapi.createsApi' : 'openapi.updatesApi', { name: p.displayName, id: p.apiId, path: p.path });
  return (
    <section className={styles.root} aria-label={i18n.t('openapi.previewTitle')} data-testid="import-preview">
      <Text weight="semibold">{i18n.t('openapi.previewTitle')}</Text>
      <Text>{api}</Text>
      <Text>{i18n.t('openapi.serviceUrl', { url: p.serviceUrl })}</Text>
      <Text>{i18n.tn('openapi.created', p.created.length)}</Text>
      <Ids ids={p.created} label={i18n.tn('openapi.created', p.created.length)} />
      {p.updated.length > 0 && <Text>{i18n.tn('openapi.updated', p.updated.length)}</Text>}
      <Ids ids={p.updated} label={i18n.tn('openapi.updated', p.updated.length)} />
      {p.removed.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{i18n.tn('openapi.removed', p.removed.length)}</MessageBarTitle>
            <Ids ids={p.removed} label={i18n.tn('openapi.removed', p.removed.length)} />
          </MessageBarBody>
        </MessageBar>
      )}
      {p.warnings.map((w) => (
        <Text key={w}>{w}</Text>
      ))}
    </section>
  );
}
