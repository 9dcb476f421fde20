/**
 * A guard proves itself (STYLE.md 15): `max-lines-per-function` of eslint.config.js is run on a copy of a real
 * file of each shipped layer (main/, preload/, renderer/) with one long function appended. 81 lines, blank lines
 * and comments counted, must fail on exactly that function; 80 must pass. Tests, benches and scripts are not
 * shipped and are not held to the limit. No shipped file is exempt: the rule is on, at 80, for each of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

  it('exempts no shipped file: the rule is on, at 80 lines, for every file of main/, preload/ and renderer/', async () => {
    const files = ['main', 'preload', 'renderer']
      .flatMap((dir) => readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)))
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(100);
    const off: string[] = [];
    for (const file of files) {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, unknown> };
      const setting = config.rules?.[RULE];
      if (!Array.isArray(setting) || setting[0] !== 2 || (setting[1] as { max?: number } | undefined)?.max !== 80) off.push(file);
    }
    expect(off).toEqual([]);
  });
});
