/**
 * A guard proves itself (STYLE.md 15): each layer rule of eslint.config.js is run on a real file of the layer
 * with one violating import added, and must fail on exactly that import; the same file without it lints clean,
 * so the failure comes from the violation and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Lint a copy of `file` with `line` added after its imports; the messages of the added line only. */
async function lintWith(file: string, line: string): Promise<{ clean: string[]; added: string[] }> {
  const filePath = path.join(root, file);
  const original = readFileSync(filePath, 'utf8');
  const [before] = await eslint.lintText(original, { filePath });
  const lines = original.split('\n');
  const lastImport = lines.reduce((last, l, i) => (/^import\b|^\} from '/.test(l) ? i : last), -1);
  lines.splice(lastImport + 1, 0, line);
  const [after] = await eslint.lintText(lines.join('\n'), { filePath });
  const format = (m: { ruleId: string | null; message: string }) => `${m.ruleId}: ${m.message}`;
  return {
    clean: (before?.messages ?? []).map(format),
    added: (after?.messages ?? []).filter((m) => m.line === lastImport + 2).map(format),
  };
}

const violations: readonly { readonly file: string; readonly line: string; readonly rule: string }[] = [
  // main/core: no shell, gateway process, CLI, UI, bridge or Electron
  { file: 'main/core/services/api-service.ts', line: "import '../../shell/expiry-notifier';", rule: 'certgate/layers' },
  { file: 'main/core/services/api-service.ts', line: "import { startExpiryNotifier } from '../../shell/expiry-notifier.ts';", rule: 'certgate/layers' },
  { file: 'main/core/app/core.ts', line: "import type { GatewayProcess } from '../../shell/gateway-process';", rule: 'certgate/layers' },
  { file: 'main/core/gateway/gateway.ts', line: "import '../../gateway-host';", rule: 'certgate/layers' },
  { file: 'main/core/gateway/gateway.ts', line: "import '../../gateway-host/endpoint';", rule: 'certgate/layers' },
  { file: 'main/core/store/store.ts', line: "import '../../cli/output';", rule: 'certgate/layers' },
  { file: 'main/core/store/store.ts', line: "import '../../../renderer/src/app';", rule: 'certgate/layers' },
  { file: 'main/core/store/store.ts', line: "import '../../../preload/index';", rule: 'certgate/layers' },
  { file: 'main/core/store/store.ts', line: "import { app } from 'electron';", rule: 'no-restricted-imports' },
  { file: 'main/core/app/core.ts', line: "const electron = await import('../../shell/menu');", rule: 'certgate/layers' },
  // main/cli
  { file: 'main/cli/index.ts', line: "import '../shell/ipc';", rule: 'certgate/layers' },
  { file: 'main/cli/index.ts', line: "import '../gateway-host/endpoint';", rule: 'certgate/layers' },
  { file: 'main/cli/index.ts', line: "import { dialog } from 'electron';", rule: 'no-restricted-imports' },
  // main/gateway-host
  { file: 'main/gateway-host/endpoint.ts', line: "import { utilityProcess } from 'electron';", rule: 'no-restricted-imports' },
  { file: 'main/gateway-host/endpoint.ts', line: "import '../shell/window';", rule: 'certgate/layers' },
  // main/shell
  { file: 'main/shell/menu.ts', line: "import '../cli/output';", rule: 'certgate/layers' },
  { file: 'main/shell/menu.ts', line: "import '../../renderer/src/app';", rule: 'certgate/layers' },
  // renderer: only the contract's parts
  { file: 'renderer/src/app.tsx', line: "import '../../main/core/store/store';", rule: 'certgate/layers' },
  { file: 'renderer/src/app.tsx', line: "import { readFile } from 'node:fs/promises';", rule: 'no-restricted-imports' },
  { file: 'renderer/src/app.tsx', line: "import { ipcRenderer } from 'electron';", rule: 'no-restricted-imports' },
  { file: 'renderer/src/app.tsx', line: "import { ok } from '../../preload/contract';", rule: 'certgate/layers' },
  { file: 'renderer/src/app.tsx', line: "import { idSchema } from '../../preload/contract/schemas';", rule: 'certgate/layers' },
  { file: 'renderer/src/app.tsx', line: "import '../../preload/index';", rule: 'certgate/layers' },
  // preload/index: electron and the contract only
  { file: 'preload/index.ts', line: "import { openCore } from '../main/core/app/core';", rule: 'certgate/layers' },
  { file: 'preload/index.ts', line: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports' },
  { file: 'preload/index.ts', line: "import { inputSchemas } from './contract/schemas';", rule: 'certgate/layers' },
  { file: 'preload/index.ts', line: "import { z } from 'zod';", rule: 'no-restricted-imports' },
  // the contract is the bottom layer; result.ts imports nothing
  { file: 'preload/contract/model.ts', line: "import type { Store } from '../../main/core/store/store';", rule: 'certgate/layers' },
  { file: 'preload/contract/result.ts', line: "import type { Api } from './model';", rule: 'certgate/layers' },
  { file: 'preload/contract/result.ts', line: "import { z } from 'zod';", rule: 'certgate/layers' },
  // raw IPC only at the two edges
  { file: 'main/shell/window.ts', line: "import { ipcMain } from 'electron';", rule: 'no-restricted-syntax' },
];

describe('lint layer rules fail on the violations they exist for', () => {
  it.each(violations)('$file: $line', async ({ file, line, rule }) => {
    const { clean, added } = await lintWith(file, line);
    expect(clean).toEqual([]);
    expect(added.some((m) => m.startsWith(`${rule}:`)), `expected ${rule}, got ${JSON.stringify(added)}`).toBe(true);
  });

  it('lets the allowed imports through (type-only schemas in the renderer, parts of the contract)', async () => {
    const allowed: readonly [string, string][] = [
      ['renderer/src/app.tsx', "import type { SecurityInput } from '../../preload/contract/schemas';"],
      ['renderer/src/app.tsx', "import { fail } from '../../preload/contract/result';"],
      ['main/core/store/store.ts', "import { dispatch } from '../dispatch/dispatch';"],
      ['main/shell/menu.ts', "import type { Core } from '../core/app/core';"],
      ['preload/index.ts', "import type { Api } from './contract/model';"],
    ];
    for (const [file, line] of allowed) {
      const { added } = await lintWith(file, line);
      expect(added.filter((m) => !m.startsWith('@typescript-eslint/no-unused-vars')), `${file}: ${line}`).toEqual([]);
    }
  });
});
