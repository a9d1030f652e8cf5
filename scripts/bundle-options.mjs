// esbuild options shared by scripts/build.mjs and the protocol tests' server bundle.
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
  // web-tree-sitter probes for browser globals; the Node branch is the one we run.
  // It also calls createRequire(import.meta.url), which a CJS bundle must supply.
  define: { 'import.meta.url': '__shipshapeImportMetaUrl' },
  banner: { js: 'const __shipshapeImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};
