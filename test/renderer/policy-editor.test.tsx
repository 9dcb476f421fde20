/**
 * The policy editor tells `onChange` about the operator's edits only: a new `value` put in from outside (a
 * load, a discard, the saved text after a save) is not an edit. Told as one, it became an unsaved draft, and
 * the next load then said "changed elsewhere" (test/e2e/operations.test.ts, seen failing under CPU load).
 */
import { EditorView } from '@codemirror/view';
import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PolicyEditor } from '../../renderer/src/apis/policy-editor';

describe('PolicyEditor', () => {
  it('shows a new value from outside without calling onChange, and calls it for an edit', () => {
    const onChange = vi.fn();
    const props = { onChange, problem: null, label: 'Policy', certificates: [] };
    const { rerender, container } = render(<PolicyEditor value="<policies />" {...props} />);
    const content = container.querySelector('.cm-content');
    const view = content ? EditorView.findFromDOM(content as HTMLElement) : null;
    if (!view) throw new Error('no editor view');

    rerender(<PolicyEditor value={'<policies>\n  <inbound />\n</policies>'} {...props} />);
    expect(view.state.doc.toString()).toBe('<policies>\n  <inbound />\n</policies>');
    expect(onChange).not.toHaveBeenCalled();

    view.dispatch({ changes: { from: 0, insert: '<!-- x -->' } });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith('<!-- x --><policies>\n  <inbound />\n</policies>');
  });
});
