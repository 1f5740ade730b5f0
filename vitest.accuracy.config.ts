import { defineConfig } from 'vitest/config';

// The accuracy tests time the probe against the mock's record: run them alone, one file at a
// time, after the main suite, so that nothing else competes for the two cores.
export default defineConfig({
  test: {
    // tests of the built CLI rebuild it first when a source is newer (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    include: ['test/accuracy/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 60_000,
    env: { NO_COLOR: '1', FORCE_COLOR: '' },
    allowOnly: false,
  },
});
