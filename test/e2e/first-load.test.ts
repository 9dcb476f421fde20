/**
 * The built console asks for its first page's code at once: index.html lists the start chunk (src/start.tsx)
 * and every chunk it imports as modulepreload, largest first, so they download while the page parses instead
 * of after the entry has run (issue 13). CodeMirror stays out: only the pages that edit XML load it; so do
 * the Fluent UI packages only other pages use (the `vendor-pages` chunk), and the build says so when the start
 * page comes to need one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGES_ONLY_CHUNK, preloadStartChunks } from '../../renderer/vite.config';
import { ensureRendererBuilt, ROOT } from './harness';

const OUT = path.join(ROOT, 'out/renderer');

function assetOf(file: string): string {
  return readFileSync(path.join(OUT, 'assets', file), 'utf8');
}

/** The chunks a built chunk imports statically (`import … from"./x.js"` and `import"./x.js"`). */
function staticImports(file: string): string[] {
  return [...assetOf(file).matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1] ?? '');
}

/** The built page's preloads, its start chunk and every chunk that chunk imports statically. */
function startPage(): { preloaded: string[]; start: string; needed: Set<string> } {
  const html = readFileSync(path.join(OUT, 'index.html'), 'utf8');
  const entry = /<script type="module" crossorigin src="\.\/assets\/([^"]+)"/.exec(html)?.[1] ?? '';
  const preloaded = [...html.matchAll(/<link rel="modulepreload" crossorigin href="\.\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '');
  const start = /"\.\/(start-[^"]+\.js)"/.exec(assetOf(entry))?.[1] ?? '';
  expect(start, 'the entry imports the start chunk').toMatch(/^start-/);
  const needed = new Set<string>();
  const visit = (file: string): void => {
    if (needed.has(file)) return;
    needed.add(file);
    staticImports(file).forEach(visit);
  };
  visit(start);
  return { preloaded, start, needed };
}

describe('the built console', () => {
  beforeAll(() => ensureRendererBuilt(), 120_000);

  it('preloads the start chunk and all it imports, the largest first, and not CodeMirror', () => {
    const { preloaded, start, needed } = startPage();
    expect(needed.size).toBeGreaterThan(3);
    for (const file of needed) expect(preloaded, `index.html preloads ${file}`).toContain(file);
    expect(preloaded.filter((file) => file.startsWith('codemirror-'))).toEqual([]);
    const vendor = preloaded.findIndex((file) => file.startsWith('vendor-'));
    expect(vendor).toBeLessThan(preloaded.indexOf(start));
  });

  it('is minified, as shipped (electron-vite leaves the renderer unminified unless told)', () => {
    const vendor = readdirSync(path.join(OUT, 'assets')).find((file) => /^vendor-[^p]/.test(file)) ?? '';
    const code = assetOf(vendor);
    expect(code.split('\n').length, 'lines in the vendor chunk').toBeLessThan(200);
  });

  it('leaves the libraries only other pages use to those pages', () => {
    const { preloaded, needed } = startPage();
    const assets = readdirSync(path.join(OUT, 'assets'));
    const pagesOnly = assets.find((file) => file.startsWith(`${PAGES_ONLY_CHUNK}-`)) ?? '';
    expect(pagesOnly, 'a vendor-pages chunk is built').not.toBe('');
    expect(assetOf(pagesOnly)).toContain('TabList');
    expect([...needed]).not.toContain(pagesOnly);
    expect(preloaded).not.toContain(pagesOnly);
    const users = assets.filter((file) => file.endsWith('.js') && staticImports(file).includes(pagesOnly));
    expect(users.some((file) => file.startsWith('api-page-')), 'the API page (its tabs) imports it').toBe(true);
  });
});

describe('the start-chunk preload plugin', () => {
  type Chunk = { type: 'chunk'; fileName: string; name: string; facadeModuleId: string | null; imports: string[]; code: string };
  const chunk = (fileName: string, name: string, imports: string[], facadeModuleId: string | null = null): Chunk => ({ type: 'chunk', fileName, name, facadeModuleId, imports, code: '' });
  const run = (bundle: Record<string, Chunk>): unknown => {
    const hook = preloadStartChunks().transformIndexHtml as { handler: (html: string, context: { bundle: Record<string, Chunk> }) => unknown };
    return hook.handler('<html></html>', { bundle });
  };
  const start = (imports: string[]) => chunk('start-1.js', 'start', imports, '/app/renderer/src/start.tsx');

  it('lists what the start chunk imports', () => {
    const result = run({ 'start-1.js': start(['vendor-1.js']), 'vendor-1.js': chunk('vendor-1.js', 'vendor', []), 'vendor-pages-1.js': chunk('vendor-pages-1.js', PAGES_ONLY_CHUNK, []) });
    expect(JSON.stringify(result)).toContain('vendor-1.js');
    expect(JSON.stringify(result)).not.toContain('vendor-pages-1.js');
  });

  it('fails the build when the start page comes to import the pages-only chunk', () => {
    const bundle = { 'start-1.js': start(['vendor-1.js']), 'vendor-1.js': chunk('vendor-1.js', 'vendor', ['vendor-pages-1.js']), 'vendor-pages-1.js': chunk('vendor-pages-1.js', PAGES_ONLY_CHUNK, []) };
    expect(() => run(bundle)).toThrow(/the start page imports vendor-pages-1\.js, the chunk of libraries only other pages use/);
  });
});
