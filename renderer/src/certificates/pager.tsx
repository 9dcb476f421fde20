/** Previous/next paging for long tables (1,000 certificates stay smooth: only one page is rendered). */
import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useI18n } from '../../i18n';

const useStyles = makeStyles({ pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM } });

/** The rows shown per page. */
export const PAGE_SIZE = 50;

/** Paging controls; hidden when everything fits on one page. */
export function Pager(props: { readonly page: number; readonly pages: number; readonly onPage: (page: number) => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  if (props.pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label={i18n.t('common.pageOf', { page: props.page + 1, pages: props.pages })}>
      <Button size="small" disabled={props.page === 0} onClick={() => props.onPage(props.page - 1)}>
        {i18n.t('common.previousPage')}
      </Button>
      <Text aria-live="polite">{i18n.t('common.pageOf', { page: props.page + 1, pages: props.pages })}</Text>
      <Button size="small" disabled={props.page >= props.pages - 1} onClick={() => props.onPage(props.page + 1)}>
        {i18n.t('common.nextPage')}
      </Button>
    </nav>
  );
}
