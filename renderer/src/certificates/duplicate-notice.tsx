/**
 * A `duplicate` refusal in words: which stored certificate the file duplicates (id, subject, last four),
 * a link to it on the page, and Replace right there. Focus moves to it when it appears.
 */
import { Button, Link, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';
import type { DuplicateOf } from './duplicate';
import { lastFour } from './thumbprint';

const useStyles = makeStyles({ box: { outlineStyle: 'none' } });

/** The notice; `onShow` goes to the stored certificate, `onReplace` uploads this file in its place. */
export function DuplicateNotice(props: {
  readonly duplicate: DuplicateOf;
  readonly busy: boolean;
  readonly onShow: (id: string) => void;
  readonly onReplace: () => void;
}) {
  const i18n = useI18n();
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [props.duplicate]);
  const { existingId, subject, thumbprint } = props.duplicate;
  return (
    <div ref={box} tabIndex={-1} className={styles.box} data-testid="duplicate-notice">
      <MessageBar intent="warning" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t('duplicate.title', { id: existingId })}</MessageBarTitle>
          {subject && thumbprint ? i18n.t('duplicate.body', { id: existingId, subject, last4: lastFour(thumbprint) }) : i18n.t('duplicate.bodyIdOnly')}{' '}
          <Link href="#/security/client-certificates" onClick={(event) => (event.preventDefault(), props.onShow(existingId))}>
            {i18n.t('duplicate.show', { id: existingId })}
          </Link>
        </MessageBarBody>
        <MessageBarActions>
          <Button size="small" disabledFocusable={props.busy} onClick={props.onReplace}>
            {i18n.t('duplicate.replace', { id: existingId })}
          </Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
