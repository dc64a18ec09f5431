import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real servers and ingest real files; a loaded CI machine is slow.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The web console (./console) is a package of its own with its own tests.
    exclude: ['**/node_modules/**', 'console/**'],
  },
});
