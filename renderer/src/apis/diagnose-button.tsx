/** The Diagnose button of an API's Security tab and of an operation: a spinner in place of its icon while it runs. */
import { Button, Spinner } from '@fluentui/react-components';
import { StethoscopeRegular } from '@fluentui/react-icons';

/** Diagnose, disabled while a diagnosis runs; `hintId` names the text that says what it checks. */
export function DiagnoseButton(props: { readonly running: boolean; readonly hintId: string; readonly label: string; readonly onClick: () => void }) {
  return (
    <Button disabled={props.running} icon={props.running ? <Spinner size="tiny" /> : <StethoscopeRegular />} aria-describedby={props.hintId} onClick={props.onClick}>
      {props.label}
    </Button>
  );
}
