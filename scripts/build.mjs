#!/usr/bin/env node
// Bundles the client, the language server and the CLI with esbuild into dist/,
// and puts the tree-sitter runtime and Go grammar .wasm files beside them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { bundleOptions } from './bundle-options.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const entries = {
  extension: 'client/src/extension.ts',
  server: 'server/src/lsp/main.ts',
  cli: 'server/src/cli/main.ts',
  'audit-worker': 'server/src/cli/audit-worker.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => fs.existsSync(path.join(root, file))));

await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir: dist,
  ...bundleOptions,
  sourcemap: true,
});

for (const [pkgFile, name] of [
  ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['tree-sitter-go/tree-sitter-go.wasm', 'tree-sitter-go.wasm'],
]) {
  fs.copyFileSync(require.resolve(pkgFile), path.join(dist, name));
}
console.log(`built ${Object.keys(entryPoints).join(', ')} into dist/`);
