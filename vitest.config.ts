import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests of the built CLI rebuild it first when a source is newer (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // timed against ground truth: run alone by vitest.accuracy.config.ts (npm test runs both)
    exclude: ['test/accuracy/**', 'node_modules/**'],
    // colour is decided per test through the injected context, never by the runner's terminal
    env: { NO_COLOR: '1', FORCE_COLOR: '' },
    testTimeout: 30_000,
    // a focused or skipped test must fail CI rather than quietly shrink the suite
    allowOnly: false,
  },
});
