import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** Node tests for main/preload/core/cli; jsdom tests for the renderer; e2e in real Chromium. */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The CLI tests run the built `certgate` (bin/certgate.mjs -> out/cli): rebuilt first when stale.
    // The keychain tests get the OS keychain: the session's, else a private gnome-keyring for the run.
    globalSetup: ['test/helpers/cli-build-setup.ts', 'test/helpers/keychain-setup.ts'],
    // After the summary: a loud word when the keychain tests could not run.
    reporters: ['default', './test/helpers/keychain-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/main/**/*.test.ts', 'test/preload/**/*.test.ts', 'test/bench/**/*.test.ts', 'test/lint/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
