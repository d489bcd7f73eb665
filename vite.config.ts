import { defineConfig } from 'vite';

/**
 * Modules only ever loaded with `import()`: dialogs, the catalogs, the pre-join check, the verification
 * code, file transfers with their SHA-256 and their card in the chat, and the quality adaptation's budget split
 * and stats reader (loaded once a call has begun).
 */
const ON_DEMAND =
  /[\\/](?:components[\\/][\w-]+-dialog\.tsx|i18n[\\/](?:en|zh-cn)\.ts|call[\\/](?:connectivity-run|connectivity-check|verification)\.ts|call[\\/]files[\\/][\w-]+\.ts|call[\\/]quality[\\/](?:adapt|upload-budget|cpu-pressure|apply-encoding)\.ts|call[\\/]media-stats\.ts|components[\\/]file-card\.tsx|web[\\/](?:file-sizes|safe-file-name|disk-sink)\.ts|@noble[\\/]hashes[\\/].*|hash-wasm[\\/].*)$/;

// The page is built from src/web into dist/web, which the server serves. esbuild compiles the JSX for
// Preact directly, so no Babel-based plugin is needed.
export default defineConfig({
  root: 'src/web',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    minify: 'terser',
    terserOptions: { compress: { passes: 2 }, format: { comments: false } },
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // Keep everything in files: the Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // One script for everything the page needs up front (one gzip stream compresses best), and a chunk of
        // its own for each module loaded on demand (a dialog, a catalog). Left alone, Rollup would
        // split the code those chunks share with the page into a third chunk the page also loads up front.
        manualChunks: (id) => (ON_DEMAND.test(id) ? undefined : 'index'),
      },
      onwarn(warning, warn) {
        // zod ships pure-call annotations Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
