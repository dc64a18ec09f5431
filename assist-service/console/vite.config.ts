import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the assist service at /console (assist-service/src/routes/console.ts).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // recharts is most of the bundle; one chunk keeps the page a single request for a local tool.
    chunkSizeWarningLimit: 1500,
  },
});
