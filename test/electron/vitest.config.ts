import { defineConfig } from 'vitest/config';

/**
 * The packaged-app walk (test/electron/walk.test.ts): run only by the release workflow, on each OS, after
 * electron-builder has packaged the app: `npx vitest run --config test/electron/vitest.config.ts`. It needs
 * a real Electron binary, so `npm test` (vitest.config.ts) never includes it.
 */
export default defineConfig({
  test: {
    include: ['test/electron/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
