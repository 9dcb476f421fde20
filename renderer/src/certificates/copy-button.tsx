/**
 * A small "Copy" button for a thumbprint or an id. The clipboard API first; where it is refused (the desktop
 * window denies every permission, clipboard writes included) the page's own copy command on a selected
 * text, which needs no permission. Says "Copied" for a moment, or that it could not copy.
 */
import { Button, Tooltip } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';

/** Put `text` on the clipboard; false when neither way worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return copyBySelection(text);
  }
}

function copyBySelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  active?.focus();
  return copied;
}

/** An icon button that copies `value`; `label` names what ("Copy thumbprint of client1"). */
export function CopyButton(props: { readonly value: string; readonly label: string }) {
  const i18n = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const tip = state === 'copied' ? i18n.t('copy.done') : state === 'failed' ? i18n.t('copy.failed') : props.label;
  return (
    <Tooltip content={tip} relationship="description" visible={state === 'idle' ? undefined : true}>
      <Button
        appearance="subtle"
        size="small"
        aria-label={props.label}
        data-copy-value={props.value}
        icon={state === 'copied' ? <CheckmarkRegular /> : <CopyRegular />}
        onClick={() => void copyText(props.value).then((ok) => setState(ok ? 'copied' : 'failed'))}
      />
    </Tooltip>
  );
}
