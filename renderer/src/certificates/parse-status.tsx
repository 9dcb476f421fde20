/** What a running parse is doing, in words: "Checking the password: 5,000,000 key-derivation rounds". */
import { Spinner } from '@fluentui/react-components';
import { useI18n } from '../../i18n';
import type { ParseProgress } from './use-parse-call';

/** The status line of a running parse (nothing when none runs); the dialog's Cancel stops it. */
export function ParseStatus(props: { readonly progress: ParseProgress }) {
  const i18n = useI18n();
  if (!props.progress.running) return null;
  const estimate = props.progress.estimate;
  const label =
    estimate && estimate.iterations > 0
      ? i18n.tn('upload.checkingRounds', estimate.iterations)
      : i18n.t('upload.checking');
  return (
    <div role="status" aria-live="polite" data-testid="parse-status">
      <Spinner size="small" label={label} labelPosition="after" />
    </div>
  );
}
