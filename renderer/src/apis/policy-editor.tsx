/**
 * The policy XML editor: CodeMirror 6 with XML highlighting and folding. A problem reported by the core
 * (line and column) is shown as a lint diagnostic at that place. `certificate-id` values get a hover card and
 * completion (policy-certificates.ts).
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import { xml } from '@codemirror/lang-xml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { PolicyProblem } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { fluentCodeTheme } from '../shell/code-theme';
import { certificateHelp, type CertificateHelpSource, type PolicyCertificate } from './policy-certificates';

const useStyles = makeStyles({
  editor: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    overflow: 'hidden',
    ':focus-within': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

/** The document range to mark for a problem: the element's name when it is there, else one character. */
function problemRange(doc: EditorState['doc'], problem: PolicyProblem): { from: number; to: number } {
  const lineNumber = Math.min(Math.max(1, problem.line), doc.lines);
  const line = doc.line(lineNumber);
  const from = line.from + Math.min(Math.max(0, problem.column - 1), line.length);
  if (problem.element) {
    const at = line.text.indexOf(`<${problem.element}`, Math.max(0, from - line.from - 1));
    const index = at >= 0 ? at : line.text.indexOf(`<${problem.element}`);
    if (index >= 0) return { from: line.from + index + 1, to: line.from + index + 1 + problem.element.length };
  }
  if (from < line.to) return { from, to: from + 1 };
  return { from: Math.max(line.from, from - 1), to: from };
}

/**
 * Marks the transactions that put a new `value` in from outside: they are not the operator's edits, and told
 * to `onChange` they would become a draft. After a save, the saved text arriving (or a stale one showing for
 * a moment) was echoed back as an unsaved edit, and the next load then said "changed elsewhere"
 * (test/e2e/operations.test.ts, seen failing under CPU load).
 */
const fromOutside = Annotation.define<boolean>();

/** The editor; `value` replaces the content when it changes from outside (load, discard). */
export function PolicyEditor(props: {
  readonly value: string;
  readonly onChange: (xml: string) => void;
  readonly problem: PolicyProblem | null;
  readonly label: string;
  /** For the hover and completion of `certificate-id` values. */
  readonly certificates: readonly PolicyCertificate[];
}) {
  const styles = useStyles();
  const i18n = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const help = useRef<CertificateHelpSource>({ certificates: props.certificates, i18n });
  help.current = { certificates: props.certificates, i18n };

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          basicSetup,
          xml(),
          lintGutter(),
          certificateHelp(() => help.current),
          fluentCodeTheme,
          EditorView.contentAttributes.of({ 'aria-label': props.label, 'aria-multiline': 'true', tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromOutside))) onChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later values and labels are applied by the effects below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === props.value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: props.value }, annotations: fromOutside.of(true) });
  }, [props.value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.contentDOM.setAttribute('aria-label', props.label);
  }, [props.label]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const diagnostics: Diagnostic[] = [];
    if (props.problem) {
      const range = problemRange(editor.state.doc, props.problem);
      diagnostics.push({ ...range, severity: 'error', message: props.problem.message, source: props.problem.element });
      editor.dispatch(setDiagnostics(editor.state, diagnostics));
      editor.dispatch({ selection: { anchor: range.from }, effects: EditorView.scrollIntoView(range.from, { y: 'center' }) });
    } else {
      editor.dispatch(setDiagnostics(editor.state, diagnostics));
    }
  }, [props.problem]);

  return <div ref={host} className={styles.editor} data-testid="policy-editor" />;
}
