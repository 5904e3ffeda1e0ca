/**
 * Builds the web app (web/src) into dist/web, which the server serves under /web/.
 * `npm run build:web` builds it; `npm run dev:web` serves it with hot reload on
 * http://localhost:5173/web/ and forwards /api/ to a Stockscan server on port 8000.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: '/web/',
  publicDir: here('./public'),
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000', '/web/zxing': 'http://127.0.0.1:8000' },
  },
});
