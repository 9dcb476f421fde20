/** jsdom lacks a few browser APIs that Fluent UI and CodeMirror use; small stand-ins, and cleanup per test. */
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Fluent UI renders a lot in jsdom; give async queries room on a busy machine.
configure({ asyncUtilTimeout: 5000 });

if (typeof window.matchMedia !== 'function') {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    writable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addEventListener: () => {},
        removeEventListener: () => {},
        addListener: () => {},
        removeListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList,
  });
}

if (typeof globalThis.ResizeObserver !== 'function') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

// CodeMirror measures text through ranges; jsdom has no layout, so report empty boxes.
const emptyRect = (): DOMRect => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) }) as DOMRect;
if (!Range.prototype.getClientRects) {
  Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
}
if (!Range.prototype.getBoundingClientRect) Range.prototype.getBoundingClientRect = emptyRect;
// Tabster (Fluent's focus manager) does not see focus enter a dialog in jsdom (no layout), so it counts the open
// modal dialog as inactive and, a moment later, sets aria-hidden on it, hiding it from role queries. In a real
// browser the dialog is the active modal (the e2e test checks it in Chromium); undo that one artefact here.
new MutationObserver((records) => {
  for (const record of records) {
    const element = record.target as Element;
    if (element.getAttribute('role') === 'dialog' && element.getAttribute('aria-modal') === 'true' && element.getAttribute('aria-hidden') === 'true') {
      element.removeAttribute('aria-hidden');
    }
  }
}).observe(document.body, { attributes: true, attributeFilter: ['aria-hidden'], subtree: true });
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.location.hash = '';
});
