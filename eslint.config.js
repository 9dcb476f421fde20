import fs from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * Layers import downwards only (STYLE.md 1, 2, 14; DESIGN.md "Processes and folders"). A file's folder says
 * what it may import. `certgate/layers` resolves every relative import to the file it names and checks the
 * target's folder, so the rule holds whatever the depth or spelling of the path (with or without extension,
 * `index` or not); bare modules (electron, node:*) are checked by `no-restricted-imports`. Each rule is proven
 * to fail on the violation it exists for in test/lint/layers.test.ts.
 */
const root = import.meta.dirname;

/** Folders (repository-relative, '/'-separated) a layer may not import, with the reason shown. */
const LAYERS = [
  {
    from: ['main/core/'],
    forbid: ['main/shell/', 'main/gateway-host/', 'main/cli/', 'renderer/', 'preload/index'],
    message: 'main/core runs in any Node process (Electron main, `certgate serve`, tests): it imports only the core and the contract.',
  },
  {
    from: ['main/cli/'],
    forbid: ['main/shell/', 'main/gateway-host/', 'renderer/', 'preload/index'],
    message: 'The CLI runs without Electron: it imports only the core and the contract.',
  },
  {
    from: ['main/gateway-host/'],
    forbid: ['main/shell/', 'main/cli/', 'renderer/', 'preload/index'],
    message: "The gateway's utility process runs the core's Gateway only: no shell, CLI or UI code.",
  },
  {
    from: ['main/shell/'],
    forbid: ['main/cli/', 'renderer/', 'preload/index'],
    message: 'The Electron shell wires the core to the window: it may not import the CLI or the UI.',
  },
  {
    from: ['renderer/'],
    forbid: ['main/', 'preload/index', 'preload/contract/index', 'preload/contract/schemas'],
    allowTypeOnly: ['preload/contract/schemas'],
    message:
      'The renderer knows only the contract, through its parts (result, model, operations; types from schemas): never main, the bridge, or the zod schemas at run time.',
  },
  {
    from: ['preload/index'],
    forbid: ['main/', 'renderer/', 'preload/contract/index', 'preload/contract/schemas'],
    message: 'The preload exposes the contract\'s verbs and nothing else: it imports only electron and the contract\'s operations.',
  },
  {
    from: ['preload/contract/'],
    forbid: ['main/', 'renderer/', 'preload/index'],
    message: 'The contract is the bottom layer: it imports only zod and its own parts.',
  },
  {
    from: ['preload/contract/result'],
    forbid: [''],
    message: 'preload/contract/result.ts imports nothing: every layer (the renderer too) may use it.',
  },
];

function repoPath(file) {
  return path.relative(root, file).split(path.sep).join('/');
}

/** The repository path an import names; a folder stands for its index file. */
function resolveTarget(file, spec) {
  const abs = path.resolve(path.dirname(file), spec);
  const isDir = fs.existsSync(abs) && fs.statSync(abs).isDirectory();
  return repoPath(isDir ? path.join(abs, 'index') : abs);
}

/** The layers rule: relative imports resolved against the importing file, checked against LAYERS. */
const layersRule = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{target}}: {{message}}' } },
  create(context) {
    const here = repoPath(context.filename);
    const layers = LAYERS.filter((l) => l.from.some((f) => here.startsWith(f)));
    if (layers.length === 0) return {};
    function check(node, source, typeOnly) {
      const spec = source.value;
      if (typeof spec !== 'string') return;
      // result.ts may import nothing at all, bare modules included.
      if (!spec.startsWith('.') && !layers.some((l) => l.forbid.includes(''))) return;
      const target = spec.startsWith('.') ? resolveTarget(context.filename, spec) : spec;
      for (const layer of layers) {
        const hit = layer.forbid.find((f) => f === '' || target === f.replace(/\/$/, '') || target.startsWith(f));
        if (hit === undefined) continue;
        if (typeOnly && layer.allowTypeOnly?.some((a) => target.startsWith(a))) continue;
        context.report({ node, messageId: 'layer', data: { target: spec, message: layer.message } });
        return;
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source, false),
    };
  },
};

const noElectron = (message) => ({ name: 'electron', message });

/**
 * Shipped functions are at most 80 lines, blank lines and comments counted (STYLE.md 10, 11; issue 12 item 5):
 * a longer component becomes a `use-*` hook and presentational parts, a longer procedure one function per step.
 * Proven to fail at 81 lines and pass at 80 in main/, preload/ and renderer/ by test/lint/function-length.test.ts.
 * No file is exempt (the temporary list of session 18 shrank to nothing): split a long function, never exempt it.
 */
const MAX_FUNCTION_LINES = 80;

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { certgate: { rules: { layers: layersRule } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: {
      'certgate/layers': 'error',
      'max-lines-per-function': ['error', { max: MAX_FUNCTION_LINES, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron('main/core and main/cli run without Electron: never import it here.')] },
      ],
    },
  },
  {
    files: ['main/gateway-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron('The gateway process runs without Electron APIs.')] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron('The renderer talks to the contract through its client, never Electron.')],
          patterns: [{ regex: '^node:', message: 'The renderer runs in a sandboxed page: no Node modules.' }],
        },
      ],
    },
  },
  {
    // The sandboxed preload can require nothing but electron; the contract's parts are bundled into it.
    files: ['preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!electron$|\\.)', message: 'The preload imports only electron and the contract.' }] },
      ],
    },
  },
  {
    // Raw IPC lives in one file each (STYLE.md 2): main/shell/ipc.ts and preload/index.ts.
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/shell/ipc.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^(ipcMain|ipcRenderer)$/]',
          message: 'Raw ipcMain/ipcRenderer are allowed only in main/shell/ipc.ts and preload/index.ts.',
        },
        {
          selector: 'MemberExpression[property.name=/^(ipcMain|ipcRenderer)$/]',
          message: 'Raw ipcMain/ipcRenderer are allowed only in main/shell/ipc.ts and preload/index.ts.',
        },
      ],
    },
  },
);
