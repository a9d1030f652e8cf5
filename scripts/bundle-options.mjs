// esbuild options shared by scripts/build.mjs and the protocol tests' server bundle.
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
  // web-tree-sitter is ESM and locates itself with import.meta.url, which a CJS
  // bundle lacks: give it the bundle's own file URL.
  define: { 'import.meta.url': '__shipshapeBundleUrl' },
  banner: { js: "var __shipshapeBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
