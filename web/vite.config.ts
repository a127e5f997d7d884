import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The web UI's build: one entry (index.html), assets hashed, no inline script (the CSP forbids it),
 * the AMR decoder in a chunk of its own that only voice messages load.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
