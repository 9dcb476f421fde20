/** The frame of every page: a heading (focused after navigation), an optional intro and toolbar. */
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import { hasNavigated } from './router';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  title: { margin: 0, outlineStyle: 'none' },
  grow: { flexGrow: 1 },
});

/** A page with its `h1`; after a navigation, focus moves to the new heading (screen readers announce it). */
export function Page(props: { readonly title: string; readonly intro?: ReactNode; readonly actions?: ReactNode; readonly children: ReactNode }) {
  const styles = useStyles();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Not on the first page: focus stays where the browser or the app put it at load.
    if (hasNavigated()) heading.current?.focus();
  }, [props.title]);
  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Text as="h1" size={700} weight="semibold" className={styles.title} ref={heading} tabIndex={-1}>
          {props.title}
        </Text>
        <span className={styles.grow} />
        {props.actions}
      </div>
      {props.intro && <Text as="p">{props.intro}</Text>}
      {props.children}
    </div>
  );
}
