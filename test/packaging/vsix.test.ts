// The extension package: `vsce package` with no flags builds a .vsix that carries the license,
// changelog, a 128x128 icon, marketplace metadata and a README whose links resolve off GitHub.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { REPO } from '../support/harness';
import { ensureBuilt } from '../support/cli';
import { cleanEnv, tempDir } from '../support/package';

interface Manifest {
  version: string;
  icon?: string;
  categories?: string[];
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { url?: string };
  scripts: Record<string, string>;
  vsce?: Record<string, unknown>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
let dir: string;
let entries: Map<string, Buffer>;

/** The entries of a zip archive (stored or deflated), read from its central directory. */
function readZip(file: string): Map<string, Buffer> {
  const zip = fs.readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

function entry(name: string): Buffer {
  const data = entries.get(name);
  assert.ok(data, `${name} is in the .vsix`);
  return data;
}

before(() => {
  ensureBuilt();
  dir = tempDir('shipshape-vsix-');
  // What `npm run package` runs after building, with no flag but where to write.
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules/@vscode/vsce/vsce'), 'package', '--out', path.join(dir, 'shipshape.vsix')], {
    cwd: REPO, encoding: 'utf8', env: cleanEnv(), timeout: 300_000,
  });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(`${r.stdout}${r.stderr}`, /WARNING|ERROR/, 'vsce packages without warnings');
  entries = readZip(path.join(dir, 'shipshape.vsix'));
});

after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

test('npm run package builds, then runs vsce package with no flags', () => {
  assert.equal(manifest.scripts.package, 'node scripts/build.mjs && vsce package');
  assert.deepEqual(manifest.vsce, { dependencies: false }, 'dist/ bundles every dependency');
});

test('marketplace metadata: repository, bugs, homepage, categories, keywords', () => {
  assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/github\.com\//);
  assert.match(manifest.bugs?.url ?? '', /^https:\/\/github\.com\/.+\/issues$/);
  assert.match(manifest.homepage ?? '', /^https:\/\/github\.com\//);
  assert.ok((manifest.categories ?? []).length >= 2 && manifest.categories?.includes('Linters'));
  assert.ok((manifest.keywords ?? []).length >= 5);
  const vsixManifest = entry('extension.vsixmanifest').toString('utf8');
  assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Links\.Source/);
  assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Icons\.Default/);
  assert.match(vsixManifest, /<Categories>Linters,Programming Languages<\/Categories>/);
});

test('the .vsix carries LICENSE, CHANGELOG, a 128x128 PNG icon, the bundles and both .wasm grammars, and no sources', () => {
  assert.match(entry('extension/LICENSE.txt').toString('utf8'), /^MIT License/);
  assert.match(entry('extension/changelog.md').toString('utf8'), new RegExp(`## \\[${manifest.version.replace(/\./g, '\\.')}\\]`));
  const icon = entry(`extension/${manifest.icon ?? ''}`);
  assert.equal(icon.subarray(1, 4).toString('ascii'), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-go.wasm', 'docs/rules/go/unclosed-body.md']) entry(`extension/${f}`);
  const stray = [...entries.keys()].filter((n) => /^extension\/(server|client|test|scripts|node_modules|examples)\//.test(n) || /\.(ts|map)$/.test(n));
  assert.deepEqual(stray, []);
});

test('the packaged README works as the marketplace page: every link and image is an absolute https URL', () => {
  const readme = entry('extension/readme.md').toString('utf8');
  const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]);
  assert.ok(targets.length > 5);
  const relative = targets.filter((t) => !/^https:\/\//.test(t) && !t.startsWith('#'));
  assert.deepEqual(relative, [], 'no repository-relative links');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
  assert.ok(images.length >= 2);
  for (const image of images) {
    assert.match(image, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/raw\//, 'images come from the repository');
    // The picture exists at that path in this repository.
    const rel = image.replace(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/raw\/[^/]+\//, '');
    assert.ok(fs.existsSync(path.join(REPO, rel)), `${rel} exists`);
  }
  for (const link of targets.filter((t) => /\/blob\//.test(t))) {
    const rel = link.replace(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[^/]+\//, '').replace(/#.*$/, '');
    assert.ok(fs.existsSync(path.join(REPO, rel)), `${rel} exists`);
  }
});

interface Walkthrough {
  id: string;
  steps: { id: string; title: string; description: string; media: { image?: string; altText?: string }; completionEvents?: string[] }[];
}

test('the walkthrough: audit, fix on save, configuration, rules — each step runs a contributed command and shows an image the .vsix carries', () => {
  const contributes = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { walkthroughs: Walkthrough[]; commands: { command: string }[] } }).contributes;
  const [walkthrough] = contributes.walkthroughs;
  assert.ok(walkthrough);
  const commands = new Set(contributes.commands.map((c) => c.command));
  const stepCommands = walkthrough.steps.map((s) => /\(command:([\w.]+)\)/.exec(s.description)?.[1]);
  assert.deepEqual(stepCommands, ['shipshape.auditWorkspace', 'shipshape.turnOnFixAllOnSave', 'shipshape.createConfiguration', 'shipshape.showRules']);
  for (const [i, step] of walkthrough.steps.entries()) {
    assert.ok(commands.has(stepCommands[i] ?? ''), `${step.id}: its command is contributed`);
    assert.ok(step.completionEvents?.includes(`onCommand:${stepCommands[i] ?? ''}`), `${step.id}: running the command completes the step`);
    const image = step.media.image ?? '';
    assert.match(image, /^images\/walkthrough\/[\w-]+\.svg$/);
    assert.ok(step.media.altText, `${step.id}: the image has alt text`);
    assert.match(entry(`extension/${image}`).toString('utf8'), /^<svg [^>]*viewBox=/);
  }
});
