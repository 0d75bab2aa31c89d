import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vite's dev server injects an inline script (React refresh), which the strict CSP in
 * index.html forbids. Drop the meta tag in `vite dev` only; builds keep it.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'hearth-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
  };
}

// `npx vite --config renderer/vite.config.ts` serves the renderer; point it at a running
// daemon with HEARTH_DAEMON=http://127.0.0.1:PORT to proxy its socket.
const daemon = process.env['HEARTH_DAEMON'];

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs so the same build loads from app:// in Electron and http:// from the daemon.
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    host: '127.0.0.1',
    ...(daemon ? { proxy: { '/api': { target: daemon.replace(/^http/, 'ws'), ws: true } } } : {}),
  },
});
