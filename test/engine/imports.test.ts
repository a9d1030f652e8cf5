// The import rules of docs/architecture.md ("Layers"), read with TypeScript's own pre-processor (not regexes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { REPO } from '../support/harness';

const SRC = path.join(REPO, 'server/src');

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The layer of a path under server/src: its first folder (`core`, `languages`, ...). */
function layerOf(relative: string): string {
  return relative.split(path.sep)[0].replace(/\.ts$/, '');
}

/** What each layer may import, besides itself and external packages (bottom to top). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  languages: ['core'],
  workspace: ['core', 'languages'],
  engine: ['core', 'languages', 'workspace'],
  rules: ['core', 'languages', 'workspace', 'engine'],
  'host-shared': ['core', 'languages', 'workspace', 'engine', 'rules'],
  lsp: ['core', 'languages', 'workspace', 'engine', 'rules', 'host-shared'],
  cli: ['core', 'languages', 'workspace', 'engine', 'rules', 'host-shared'],
};

/** Rules import the rule contract of the engine, never its runner, caches or hosts' helpers. */
const RULE_CONTRACT = path.join('engine', 'rule.ts');

interface Edge { from: string; fromLayer: string; spec: string; target?: string; targetLayer: string }

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of tsFiles(SRC)) {
    const from = path.relative(SRC, file);
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const imp of info.importedFiles) {
      const spec = imp.fileName;
      if (!spec.startsWith('.')) {
        out.push({ from, fromLayer: layerOf(from), spec, targetLayer: spec === 'vscode' || spec.startsWith('vscode-languageclient') ? 'vscode' : 'external' });
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c)) ?? base;
      const target = path.relative(SRC, resolved);
      out.push({ from, fromLayer: layerOf(from), spec, target, targetLayer: target.startsWith('..') ? 'outside' : layerOf(target) });
    }
  }
  return out;
}

test('layers import downwards only: core <- languages <- workspace <- engine <- rules <- hosts', () => {
  const problems: string[] = [];
  for (const e of edges()) {
    if (e.targetLayer === 'external' || e.targetLayer === e.fromLayer) continue;
    const allowed = Object.hasOwn(MAY_IMPORT, e.fromLayer) ? MAY_IMPORT[e.fromLayer] : undefined;
    if (!allowed) problems.push(`${e.from}: no layer rule for "${e.fromLayer}" (add it to docs/architecture.md and this test)`);
    else if (!allowed.includes(e.targetLayer)) problems.push(`${e.from} imports ${e.spec} (${e.fromLayer} may not import ${e.targetLayer})`);
  }
  assert.deepEqual(problems, []);
});

test('rules import only the rule contract of the engine, and only tree, YAML and Dockerfile libraries', () => {
  const problems: string[] = [];
  for (const e of edges()) {
    if (e.fromLayer !== 'rules') continue;
    if (e.targetLayer === 'engine' && e.target !== RULE_CONTRACT) problems.push(`${e.from} imports ${e.spec}: rules read the engine through engine/rule.ts only`);
    if (e.targetLayer === 'external' && !['web-tree-sitter', 'yaml', 'dockerfile-ast'].includes(e.spec) && !e.spec.startsWith('node:')) {
      problems.push(`${e.from} imports ${e.spec}: rules import only web-tree-sitter, yaml, dockerfile-ast and node: modules`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a language imports no other language (what joins them is workspace/)', () => {
  const problems: string[] = [];
  for (const e of edges()) {
    if (e.fromLayer !== 'languages' || e.targetLayer !== 'languages' || !e.target) continue;
    const lang = (p: string): string => p.split(path.sep)[1];
    // A manifest is judged by the kustomization that lists it (a patch is a fragment): k8s reads build files.
    const allowed = lang(e.from) === lang(e.target) || (lang(e.from) === 'k8s' && lang(e.target) === 'build');
    if (!allowed) problems.push(`${e.from} imports ${e.spec}`);
  }
  assert.deepEqual(problems, []);
});

test('only the client imports vscode; lsp and cli never import each other', () => {
  const problems = edges()
    .filter((e) => e.targetLayer === 'vscode' || (e.fromLayer === 'lsp' && e.targetLayer === 'cli') || (e.fromLayer === 'cli' && e.targetLayer === 'lsp'))
    .map((e) => `${e.from} imports ${e.spec}`);
  assert.deepEqual(problems, []);
});

test('no folder of server/src holds more than 20 modules', () => {
  const big: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const n = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).length;
    if (n > 20) big.push(`${path.relative(SRC, dir)}: ${n}`);
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(SRC);
  assert.deepEqual(big, []);
});
