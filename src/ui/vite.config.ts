// Vite build configuration for the web UI: bundles src/ui into dist/ui with no inline code (strict CSP).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/ui', import.meta.url));

export default defineConfig({
  root: uiRoot,
  base: '/',
  publicDir: 'public',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir,
    emptyOutDir: true,
    // SECURITY: the panel serves the UI with `script-src 'self'; style-src 'self'`, so the
    // modulepreload polyfill (an inline script) and inlined assets (data: fonts) must stay off.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // Development only: forward API calls to a locally running panel.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
