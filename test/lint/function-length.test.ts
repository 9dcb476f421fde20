/**
 * A guard proves itself (STYLE.md 15): `max-lines-per-function` of eslint.config.js is run on a copy of a real
 * file of each shipped layer (main/, preload/, renderer/) with one long function appended. 81 lines, blank lines
 * and comments counted, must fail on exactly that function; 80 must pass. Tests, benches and scripts are not
 * shipped and are not held to the limit. The temporary exemption list may only name files still over the limit,
 * so it shrinks as functions are split and never goes stale.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const RULE = 'max-lines-per-function';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/**
 * A function of exactly `lines` lines (signature and closing brace included), about a third of its body blank
 * lines and comments, so the limit is shown to count them.
 */
function functionOf(lines: number): string {
  const body: string[] = ['  let total = 0;'];
  for (let i = 0; body.length < lines - 3; i++) {
    body.push(i % 3 === 0 ? '' : i % 3 === 1 ? `  // step ${i}` : `  total += ${i};`);
  }
  body.push('  return total;');
  const text = ['export function appendedForLengthTest(): number {', ...body, '}'];
  expect(text).toHaveLength(lines);
  return text.join('\n');
}

/** Lint a copy of `file` with a function of `lines` lines appended: messages of the original and of the function. */
async function lintWithFunction(file: string, lines: number): Promise<{ clean: string[]; added: string[] }> {
  const filePath = path.join(root, file);
  const original = readFileSync(filePath, 'utf8');
  const [before] = await eslint.lintText(original, { filePath });
  const firstAdded = original.split('\n').length + 1;
  const [after] = await eslint.lintText(`${original}\n${functionOf(lines)}\n`, { filePath });
  const format = (m: { ruleId: string | null; message: string }) => `${m.ruleId}: ${m.message}`;
  return {
    clean: (before?.messages ?? []).map(format),
    added: (after?.messages ?? []).filter((m) => m.line >= firstAdded).map(format),
  };
}

/** One real, clean file per shipped layer. */
const shipped = ['main/core/store/store.ts', 'preload/contract/result.ts', 'renderer/src/app.tsx'] as const;

describe('shipped functions are at most 80 lines', () => {
  it.each(shipped)('%s: a function of 81 lines fails lint', async (file) => {
    const { clean, added } = await lintWithFunction(file, 81);
    expect(clean).toEqual([]);
    expect(added).toEqual([
      `${RULE}: Function 'appendedForLengthTest' has too many lines (81). Maximum allowed is 80.`,
    ]);
  });

  it.each(shipped)('%s: a function of 80 lines passes', async (file) => {
    const { clean, added } = await lintWithFunction(file, 80);
    expect(clean).toEqual([]);
    expect(added).toEqual([]);
  });

  it('does not hold tests, benches or scripts to the limit', async () => {
    for (const file of ['test/lint/layers.test.ts', 'bench/run.mjs']) {
      const { added } = await lintWithFunction(file, 200);
      expect(added.filter((m) => m.startsWith(`${RULE}:`)), file).toEqual([]);
    }
  });

  it('exempts only files that still hold a function over the limit (the list must shrink to nothing)', async () => {
    const configUrl = pathToFileURL(path.join(root, 'eslint.config.js')).href;
    const { FUNCTION_LENGTH_EXEMPT } = (await import(configUrl)) as { FUNCTION_LENGTH_EXEMPT: readonly string[] };
    const strict = new ESLint({
      cwd: root,
      overrideConfig: { rules: { [RULE]: ['error', { max: 80, skipBlankLines: false, skipComments: false }] } },
    });
    const stale: string[] = [];
    for (const file of FUNCTION_LENGTH_EXEMPT) {
      const [result] = await strict.lintFiles([path.join(root, file)]);
      if (!(result?.messages ?? []).some((m) => m.ruleId === RULE)) stale.push(file);
    }
    expect(stale, 'split: remove these files from FUNCTION_LENGTH_EXEMPT in eslint.config.js').toEqual([]);
  });
});
