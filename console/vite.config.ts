// The console is built into build/console/, which signetd serves at / (console.dir defaults to
// <dir of signetd>/../console). No inline scripts: the server's CSP forbids them.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: { outDir: '../build/console', emptyOutDir: true, assetsInlineLimit: 0 },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
