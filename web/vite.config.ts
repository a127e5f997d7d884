import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { createLogger, defineConfig } from 'vite';

/** web-amr's emscripten output draws warnings (node built-ins, eval) about paths a browser never takes. */
const fromWebAmr = (text: string) => text.includes('web-amr');
const logger = createLogger(process.argv.includes('--verbose') ? 'info' : 'warn');
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => { if (!fromWebAmr(message)) warn(message, options); };
const warnOnce = logger.warnOnce.bind(logger);
logger.warnOnce = (message, options) => { if (!fromWebAmr(message)) warnOnce(message, options); };

/**
 * The web UI's build: one entry (index.html), assets hashed, no inline script (the CSP forbids it),
 * and the AMR decoder in a chunk of its own that only a voice message loads.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  customLogger: logger,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // Its eval paths (cwrap, Module.load) are never taken by AMR.decode, which the CSP (no eval)
      // would refuse: the voice test plays a message under that CSP.
      onLog(level, log, handler) {
        if (fromWebAmr(`${log.id ?? ''} ${log.loc?.file ?? ''} ${log.message}`)) return;
        handler(level, log);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
