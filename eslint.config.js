import tseslint from 'typescript-eslint';

/** Layers import downwards only (STYLE.md 1-2): the core never sees Electron, the renderer only the contract. */
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core and main/cli run without Electron: never import it here.' }],
          patterns: [
            { group: ['**/renderer/**', '**/preload/index*'], message: 'The core knows only the contract, not the UI or the bridge.' },
            { group: ['../*.ts', '../../main/*'], message: 'The core may not import the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the contract through its client, never Electron.' },
          ],
          patterns: [
            { group: ['**/main/**', 'node:*'], message: 'The renderer may import only the contract from outside renderer/.' },
          ],
        },
      ],
    },
  },
  {
    // The gateway's utility process runs the core's Gateway only: no Electron API there.
    files: ['main/gateway-host.ts', 'main/gateway-endpoint.ts', 'main/gateway-protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The gateway process runs without Electron APIs.' }] }],
    },
  },
  {
    // Raw IPC lives in one file each (STYLE.md 2): main/ipc.ts and preload/index.ts.
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/ipc.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name=/^(ipcMain|ipcRenderer)$/]",
          message: 'Raw ipcMain/ipcRenderer are allowed only in main/ipc.ts and preload/index.ts.',
        },
        {
          selector: "MemberExpression[property.name=/^(ipcMain|ipcRenderer)$/]",
          message: 'Raw ipcMain/ipcRenderer are allowed only in main/ipc.ts and preload/index.ts.',
        },
      ],
    },
  },
);
