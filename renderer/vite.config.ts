/** Standalone renderer build: `npx vite build --config renderer/vite.config.ts` → out/renderer. */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Vite fills import.meta.dirname for config files; no node: import (the renderer folder's lint forbids them).
const here = import.meta.dirname;

/**
 * How the console's code is cut into chunks; electron.vite.config.ts's renderer build uses the same. Left to
 * itself the bundler cut the libraries into some 35 small chunks shared by the pages, which the start page then
 * fetched all at once, six at a time (issue 13). One vendor chunk for Fluent UI and the other libraries;
 * CodeMirror and its parsers in a chunk of their own, loaded only by the pages that edit or show XML; React
 * itself (8 kB) apart, because main.tsx needs it before it asks for the first page's data and must not wait for
 * the vendor chunk to do so. The Fluent UI packages that only other pages use (combobox, tabs, card, select,
 * textarea: 115 kB of the 751 kB vendor chunk) in `vendor-pages`, without their dependencies (those stay in
 * vendor, shared with the start page): every start parsed and evaluated them for nothing, and the start page
 * waits on the vendor chunk's parse (`npx tsx bench/ui-bench.ts`, eight interleaved pairs of 11 loads: median
 * interactive 1,113 ms against 1,185 ms over the pairs, sooner in six of the eight; this machine's noise is
 * of the same size). `preloadStartChunks` fails the build if the start
 * page comes to import `vendor-pages`: take the package it uses out of the list then.
 */
export const PAGES_ONLY_CHUNK = 'vendor-pages';
export const codeSplitting = {
  groups: [
    { name: 'codemirror', test: /node_modules[\\/](@codemirror|@lezer|codemirror)[\\/]/, priority: 2 },
    { name: 'react', test: /node_modules[\\/]react[\\/]/, priority: 2 },
    {
      name: PAGES_ONLY_CHUNK,
      test: /node_modules[\\/]@fluentui[\\/]react-(combobox|tabs|card|select|textarea)[\\/]/,
      priority: 2,
      includeDependenciesRecursively: false,
    },
    { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
  ],
};

/**
 * Lists the start chunk (src/start.tsx: the shell and the first page) and every chunk it imports statically as
 * `<link rel="modulepreload">` in index.html, so that the browser fetches and compiles them while it parses the
 * page, in parallel with the entry. Left to the entry's `import('./start')`, their download only began once the
 * entry had run (some 150 ms after it arrived, with the 750 kB vendor chunk last to finish; issue 13).
 */
export function preloadStartChunks(): Plugin {
  return {
    name: 'certgate:preload-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        const start = Object.values(bundle).find((c) => c.type === 'chunk' && /[\\/]src[\\/]start\.tsx$/.test(c.facadeModuleId ?? ''));
        if (!start) throw new Error('certgate:preload-start: no chunk for src/start.tsx in the bundle');
        const files = new Set<string>();
        const visit = (file: string): void => {
          const chunk = bundle[file];
          if (files.has(file) || chunk?.type !== 'chunk') return;
          files.add(file);
          chunk.imports.forEach(visit);
        };
        visit(start.fileName);
        const pagesOnly = [...files].filter((file) => bundle[file]?.name === PAGES_ONLY_CHUNK);
        if (pagesOnly.length > 0) {
          throw new Error(
            `certgate:preload-start: the start page imports ${pagesOnly.join(', ')}, the chunk of libraries only other pages use: take the package the start page now uses out of the ${PAGES_ONLY_CHUNK} group (renderer/vite.config.ts codeSplitting)`,
          );
        }
        const listed = new Set([...html.matchAll(/<(?:link|script)[^>]*(?:href|src)="\.\/([^"]+)"/g)].map((m) => m[1]));
        const size = (file: string): number => {
          const chunk = bundle[file];
          return chunk?.type === 'chunk' ? chunk.code.length : 0;
        };
        // The largest first: the browser fetches six at a time, and the vendor chunk takes longest.
        return {
          html,
          tags: [...files]
            .filter((file) => !listed.has(file))
            .sort((a, b) => size(b) - size(a))
            .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
        };
      },
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), preloadStartChunks()],
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    // The page runs under a strict CSP (script-src 'self'): no inline preload polyfill.
    modulePreload: { polyfill: false },
    // The vendor chunk (Fluent UI and the other libraries) is ~750 kB, about 210 kB gzipped.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: { output: { codeSplitting } },
  },
});
