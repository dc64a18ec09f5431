import { defineConfig } from 'vitest/config';

/** The browser end-to-end tests: the built extension in Debian's Chromium against the real service. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // A page, its content script and the service answer within a second on a quiet machine, not
    // always on a loaded CI runner: expect.poll waits up to 10 s unless a test says otherwise.
    expect: { poll: { timeout: 10_000 } },
  },
});
