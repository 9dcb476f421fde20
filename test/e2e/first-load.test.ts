/**
 * The built console asks for its first page's code at once: index.html lists the start chunk (src/start.tsx)
 * and every chunk it imports as modulepreload, largest first, so they download while the page parses instead
 * of after the entry has run (issue 13). CodeMirror stays out: only the pages that edit XML load it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, ROOT } from './harness';

const OUT = path.join(ROOT, 'out/renderer');

function assetOf(file: string): string {
  return readFileSync(path.join(OUT, 'assets', file), 'utf8');
}

/** The chunks a built chunk imports statically (`import … from"./x.js"` and `import"./x.js"`). */
function staticImports(file: string): string[] {
  return [...assetOf(file).matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1] ?? '');
}

describe('the built console', () => {
  beforeAll(() => ensureRendererBuilt(), 120_000);

  it('preloads the start chunk and all it imports, the largest first, and not CodeMirror', () => {
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
    expect(needed.size).toBeGreaterThan(3);
    for (const file of needed) expect(preloaded, `index.html preloads ${file}`).toContain(file);
    expect(preloaded.filter((file) => file.startsWith('codemirror-'))).toEqual([]);
    const vendor = preloaded.findIndex((file) => file.startsWith('vendor-'));
    expect(vendor).toBeLessThan(preloaded.indexOf(start));
  });
});
