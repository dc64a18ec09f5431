import { defineConfig } from 'vitest/config';

// Unit tests only (src/**/*.test.ts); the eval suites themselves run through `src/cli.ts gate`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    isolate: false,
    pool: 'threads',
    maxWorkers: 2,
  },
});
