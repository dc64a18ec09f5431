import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**'],
    environment: 'happy-dom',
    // Two shared cores: keep the pool small.
    maxWorkers: 2,
    testTimeout: 15_000,
  },
});
