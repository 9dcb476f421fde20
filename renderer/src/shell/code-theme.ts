/**
 * CodeMirror's look in the console: colours from the Fluent theme (CSS variables), so editors and viewers
 * follow light and dark. Only lazily loaded modules import this (it pulls CodeMirror in).
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tokens } from '@fluentui/react-components';
import { tags } from '@lezer/highlight';

const fluentTheme = EditorView.theme({
  '&': { backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1, fontSize: '13px', maxHeight: '60vh' },
  '.cm-scroller': { fontFamily: tokens.fontFamilyMonospace, overflow: 'auto' },
  '.cm-content': { caretColor: tokens.colorNeutralForeground1, minHeight: '240px' },
  '.cm-gutters': { backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground3, border: 'none' },
  '.cm-activeLine': { backgroundColor: tokens.colorNeutralBackground1Hover },
  '.cm-activeLineGutter': { backgroundColor: tokens.colorNeutralBackground1Hover },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: tokens.colorBrandBackground2 },
  '.cm-tooltip': { backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
});

/** XML colours from Fluent's foreground tokens: readable (WCAG AA) on light and dark backgrounds alike. */
const fluentHighlight = HighlightStyle.define([
  { tag: [tags.tagName, tags.angleBracket], color: tokens.colorBrandForeground1 },
  { tag: tags.attributeName, color: tokens.colorPaletteRedForeground1 },
  { tag: [tags.attributeValue, tags.string], color: tokens.colorPaletteGreenForeground1 },
  { tag: [tags.comment, tags.processingInstruction, tags.meta, tags.documentMeta], color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
  { tag: [tags.character, tags.content], color: tokens.colorNeutralForeground1 },
  { tag: tags.invalid, color: tokens.colorPaletteRedForeground1, textDecoration: 'underline' },
]);

/** The theme and the XML highlighting, as one extension. */
export const fluentCodeTheme: Extension = [syntaxHighlighting(fluentHighlight), fluentTheme];
