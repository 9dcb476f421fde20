/**
 * A small "Copy" button for a thumbprint or an id. The clipboard API first; where it is refused (the desktop
 * window denies every permission, clipboard writes included) the page's own copy command on a selected
 * text, which needs no permission. Says "Copied" for a moment, or that it could not copy.
 */
import { Button } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
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

/**
 * An icon button that copies `value`; `label` names what ("Copy the thumbprint of client1"). No Fluent
 * Tooltip (a table renders one per row): the native title names it on hover, and "Copied" is announced.
 */
export function CopyButton(props: { readonly value: string; readonly label: string }) {
  const i18n = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const said = state === 'copied' ? i18n.t('copy.done') : state === 'failed' ? i18n.t('copy.failed') : '';
  return (
    <>
      <Button
        appearance="subtle"
        size="small"
        aria-label={props.label}
        title={said || props.label}
        icon={state === 'copied' ? <CheckmarkRegular /> : <CopyRegular />}
        onClick={() => void copyText(props.value).then((ok) => setState(ok ? 'copied' : 'failed'))}
      />
      {state !== 'idle' && (
        <span role="status" className="cg-copy-status" style={VISUALLY_HIDDEN}>
          {said}
        </span>
      )}
    </>
  );
}

const VISUALLY_HIDDEN = { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' } as const;

/** A value (its text, or `children` showing it) followed by its copy button. */
export function Copyable(props: { readonly value: string; readonly label: string; readonly children?: ReactNode }) {
  return (
    <span style={COPYABLE}>
      <span>{props.children ?? props.value}</span>
      <CopyButton value={props.value} label={props.label} />
    </span>
  );
}

const COPYABLE = { display: 'inline-flex', alignItems: 'center', gap: '4px', flexWrap: 'wrap' } as const;
