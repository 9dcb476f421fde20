/** Standalone renderer build: `npx vite build --config renderer/vite.config.ts` → out/renderer. */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Vite fills import.meta.dirname for config files; no node: import (the renderer folder's lint forbids them).
const here = import.meta.dirname;

/**
 * How the console's code is cut into chunks; electron.vite.config.ts's renderer build uses the same. Left to
 * itself the bundler cut the libraries into some 35 small chunks shared by the pages, which the start page then
 * fetched all at once, six at a time (issue 13). One vendor chunk for Fluent UI and the other libraries;
 * CodeMirror and its parsers in a chunk of their own, loaded only by the pages that edit or show XML; React
 * itself (8 kB) apart, because main.tsx needs it before it asks for the first page's data and must not wait for
 * the vendor chunk to do so.
 */
export const codeSplitting = {
  groups: [
    { name: 'codemirror', test: /node_modules[\\/](@codemirror|@lezer|codemirror)[\\/]/, priority: 2 },
    { name: 'react', test: /node_modules[\\/]react[\\/]/, priority: 2 },
    { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
  ],
};

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
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
