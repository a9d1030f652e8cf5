// The npm package: `npm pack` → install globally into an empty prefix → `shipshape --version`,
// `shipshape audit <dir>` and `shipshape lsp --stdio` from a folder outside the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { REPO } from '../support/harness';
import { copyFromRepo, installGlobally, installedPaths, lspHandshake, packRepository, runInstalled, tempDir, type Packed } from '../support/package';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  repository?: { url: string };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
let packed: Packed;
let prefix: string;
let elsewhere: string;
let bin: string;

before(() => {
  packed = packRepository();
  prefix = tempDir('shipshape-prefix-');
  elsewhere = tempDir('shipshape-user-');
  installGlobally(packed.tarball, prefix);
  bin = installedPaths(prefix).bin;
});

after(() => {
  for (const dir of [packed.dir, prefix, elsewhere]) fs.rmSync(dir, { recursive: true, force: true });
});

test('package.json: publishable, a bin, Node engine matching the bundle target, no runtime dependencies, prepack builds', () => {
  assert.equal(manifest.private, undefined, 'not private');
  assert.deepEqual(manifest.bin, { shipshape: './bin/shipshape.js' });
  assert.equal(manifest.engines?.node, '>=20');
  const target = /target: '(node\d+)'/.exec(fs.readFileSync(path.join(REPO, 'scripts/bundle-options.mjs'), 'utf8'))?.[1];
  assert.equal(target, `node${/\d+/.exec(manifest.engines.node)?.[0]}`, 'esbuild targets the oldest Node the package accepts');
  // dist/ is one esbuild bundle per entry: installing pulls nothing from the registry, dev or not.
  assert.equal(manifest.dependencies, undefined, 'every runtime module is bundled into dist/');
  assert.match(manifest.scripts?.prepack ?? '', /scripts\/build\.mjs/, 'npm pack (and installs from git) build dist/ first');
  assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
});

test('the tarball holds the bundles, both .wasm grammars, the docs pages and the legal files, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const required of [
    'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/shipshape.js',
    'dist/cli.js', 'dist/server.js', 'dist/audit-worker.js', 'dist/extension.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-go.wasm',
    'docs/rules/go/unclosed-body.md', 'docs/cli.md', 'schemas/shipshape.schema.json',
  ]) assert.ok(files.includes(required), `${required} is packed`);
  const stray = files.filter((f) => /^(server|client|test|scripts|node_modules|examples|\.ci)\//.test(f) || /\.(ts|map)$/.test(f));
  assert.deepEqual(stray, [], 'no sources, tests, source maps or dependencies');
  assert.ok(files.every((f) => fs.existsSync(path.join(REPO, f))), 'every packed file exists in the repository');
});

test('installed into an empty prefix: only shipshape, no node_modules of its own', () => {
  const { pkg } = installedPaths(prefix);
  assert.ok(fs.existsSync(path.join(pkg, 'dist', 'tree-sitter-go.wasm')));
  assert.equal(fs.existsSync(path.join(pkg, 'node_modules')), false, 'no dependencies installed');
  assert.deepEqual(fs.readdirSync(path.dirname(pkg)).filter((n) => !n.startsWith('.')), ['shipshape']);
});

test('shipshape --version and --help run from another folder', () => {
  const version = runInstalled(bin, ['--version'], elsewhere);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), manifest.version);
  const help = runInstalled(bin, ['--help'], elsewhere);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /audit/);
});

test('shipshape audit <dir> from another folder finds the example service\'s defects; SARIF links https docs', () => {
  const shop = copyFromRepo('examples/shop', path.join(elsewhere, 'shop'));
  const text = runInstalled(bin, ['audit', 'shop'], elsewhere);
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /go\/unclosed-body/);
  assert.match(text.stdout, /\d+ findings \(/);
  const out = path.join(elsewhere, 'shop.sarif');
  const sarif = runInstalled(bin, ['audit', shop, '--format', 'sarif', '--output', out, '--fail-on', 'none'], elsewhere);
  assert.equal(sarif.code, 0, sarif.stderr);
  const run = (JSON.parse(fs.readFileSync(out, 'utf8')) as Sarif.Log).runs[0];
  assert.ok((run.results ?? []).length > 10);
  const repo = (manifest.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
  for (const rule of run.tool.driver.rules ?? []) {
    assert.equal(rule.helpUri, `${repo}/blob/v${manifest.version}/docs/rules/${rule.id}.md`);
    assert.ok((rule.help?.markdown ?? '').startsWith(`# ${rule.id}\n`), `${rule.id}: the bundled page without front matter`);
  }
});

test('shipshape audit with a config file: the bundled schema validator runs without node_modules', () => {
  const dir = path.join(elsewhere, 'configured');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '.shipshape.yaml'), 'rules:\n  docker/base-image-unpinned: off\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine\nUSER 1000\nCMD ["/app"]\n');
  const r = runInstalled(bin, ['audit', '.', '--format', 'json'], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(!r.stdout.includes('docker/base-image-unpinned'), 'the config turned the rule off');
  fs.writeFileSync(path.join(dir, '.shipshape.yaml'), 'rules:\n  docker/base-image-unpinned: loud\n');
  const bad = runInstalled(bin, ['audit', '.'], dir);
  assert.equal(bad.code, 2, 'an invalid config is a config error');
});

test('shipshape lsp --stdio answers initialize and exits 0 after shutdown/exit', async () => {
  const r = await lspHandshake(bin, elsewhere);
  const result = r.initialize as { capabilities?: { codeActionProvider?: unknown }; serverInfo?: { name?: string; version?: string } };
  assert.ok(result.capabilities?.codeActionProvider, r.stderr);
  assert.deepEqual(result.serverInfo, { name: 'shipshape', version: manifest.version });
  assert.equal(r.code, 0, r.stderr);
});

test('README: the install and usage lines work as written', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const install = /## Install\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(install, 'README has an Install section with a sh block');
  const lines = install.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  assert.equal(lines[0], 'npm install -g shipshape', 'what this test did with the packed tarball');
  const project = copyFromRepo('examples/shop', path.join(elsewhere, 'readme-project'));
  for (const line of lines.slice(1)) {
    const [command, ...args] = line.split(/\s+/);
    assert.equal(command, 'shipshape', line);
    const r = runInstalled(bin, args, project);
    assert.ok(r.code === 0 || r.code === 1, `${line}: exit ${r.code}\n${r.stderr}`);
  }
  assert.match(readme, /without installing: `npx shipshape audit \.`/);
  const usage = /## CLI\n+```sh\n(shipshape audit [^\n]*)\n```/.exec(readme)?.[1];
  assert.ok(usage, 'the CLI section starts with the usage line');
  const help = runInstalled(bin, ['audit', '--help'], elsewhere).stdout;
  for (const flag of usage.match(/--[a-z-]+/g) ?? []) assert.ok(help.includes(flag), `${flag} is a flag of shipshape audit`);
});
