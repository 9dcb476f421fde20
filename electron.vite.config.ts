/**
 * Build of the Electron app (electron-vite):
 *   out/main/index.js, out/main/gateway-host.js  main process and the gateway's utility process (ESM;
 *                                                  package.json dependencies stay external, in node_modules)
 *   out/preload/index.cjs                         the preload: CommonJS and self-contained (zod bundled in),
 *                                                  because a sandboxed preload can neither be an ES module
 *                                                  nor require anything but 'electron'
 *   out/renderer/                                 the React console (index.html + assets)
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './main/shell/csp';
import { codeSplitting, preloadStartChunks } from './renderer/vite.config';

const root = import.meta.dirname;

/**
 * Writes the CSP into the built index.html as a <meta> too: a fallback wherever the page is served without the
 * header. Any policy already in the page is replaced, so main/csp.ts stays the one definition. Build only: in
 * development the main process sends the dev policy (hot reload needs an inline preamble and a WebSocket).
 */
function cspMetaTag(): Plugin {
  return {
    name: 'certgate:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => {
        const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(null, true)}" />`;
        const page = html.replace(/<meta\s[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>\s*/gi, '');
        // Right after <meta charset> (which must come first), and before any script the policy must cover.
        const charset = /<meta\s+charset=[^>]*>/i.exec(page);
        if (charset) return page.replace(charset[0], `${charset[0]}\n    ${meta}`);
        return page.replace(/<head>/i, `<head>\n    ${meta}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: {
          index: resolve(root, 'main/shell/index.ts'),
          'gateway-host': resolve(root, 'main/gateway-host/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), cspMetaTag(), preloadStartChunks()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Minified like the standalone build: electron-vite leaves the renderer unminified unless told, and the app
      // shipped a 1.43 MB vendor chunk (637 kB minified) and 880 kB of CodeMirror (428 kB). Start time did not
      // measurably change (`npx tsx bench/ui-bench.ts` on each build, four interleaved pairs: within noise);
      // the app carries half the bytes. The same chunks as the standalone build (renderer/vite.config.ts).
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html'), output: { codeSplitting } },
    },
  },
});
