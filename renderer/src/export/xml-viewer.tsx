/**
 * A read-only XML viewer (CodeMirror: highlighting, folding, search). The text can be selected, searched and
 * copied from the keyboard, but not changed.
 */
import { xml } from '@codemirror/lang-xml';
import { EditorState } from '@codemirror/state';
import { makeStyles, tokens } from '@fluentui/react-components';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import { fluentCodeTheme } from '../shell/code-theme';

const useStyles = makeStyles({
  viewer: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    overflow: 'hidden',
    ':focus-within': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

/** The viewer for one document; a new `value` replaces the content. */
export function XmlViewer(props: { readonly value: string; readonly label: string }) {
  const styles = useStyles();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    // Read-only but still editable in CodeMirror's sense, so the content stays focusable for keyboard users.
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          basicSetup,
          xml(),
          fluentCodeTheme,
          EditorState.readOnly.of(true),
          EditorView.contentAttributes.of({ 'aria-label': props.label, 'aria-readonly': 'true', 'aria-multiline': 'true', tabindex: '0' }),
        ],
      }),
    });
    return () => view.destroy();
  }, [props.value, props.label]);

  return <div ref={host} className={styles.viewer} data-testid="xml-viewer" />;
}
