/** Standalone renderer build: `npx vite build --config renderer/vite.config.ts` → out/renderer. */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Vite fills import.meta.dirname for config files; no node: import (the renderer folder's lint forbids them).
const here = import.meta.dirname;

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
    // Fluent UI and React make one ~850 kB chunk (about 240 kB gzipped); CodeMirror is split off on its own.
    chunkSizeWarningLimit: 1000,
  },
});
