/** A thumbprint whose last four characters stand out: operators tell certificates apart by them. */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  thumbprint: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  head: { color: tokens.colorNeutralForeground2, wordBreak: 'break-all' },
  last4: {
    whiteSpace: 'nowrap',
    fontWeight: tokens.fontWeightBold,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorBrandBackground2,
    borderRadius: tokens.borderRadiusSmall,
    padding: `0 ${tokens.spacingHorizontalXXS}`,
  },
});

/** The last four characters of a thumbprint. */
export function lastFour(thumbprint: string): string {
  return thumbprint.slice(-4);
}

/** A full thumbprint with its last four characters in a `<strong class="cg-thumbprint-last4">`. */
export function Thumbprint(props: { readonly value: string; readonly className?: string }) {
  const styles = useStyles();
  const head = props.value.slice(0, -4);
  return (
    <span className={mergeClasses('cg-thumbprint', styles.thumbprint, props.className)}>
      <span className={styles.head}>{head}</span>
      <strong className={mergeClasses('cg-thumbprint-last4', styles.last4)}>{lastFour(props.value)}</strong>
    </span>
  );
}
