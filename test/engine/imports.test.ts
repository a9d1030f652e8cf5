// The import rules of style.md, read with TypeScript's own pre-processor (not regexes).
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

/** Area of a resolved import: engine | parsers | rules | lsp | cli | protocol | vscode | external. */
function area(fromFile: string, spec: string): string {
  if (spec.startsWith('vscode')) return 'vscode';
  if (!spec.startsWith('.')) return 'external';
  const target = path.relative(SRC, path.resolve(path.dirname(fromFile), spec));
  if (target.startsWith('..')) return 'outside';
  return target.split(path.sep)[0].replace(/\.ts$/, '');
}

const FORBIDDEN: Record<string, string[]> = {
  engine: ['vscode', 'lsp', 'cli', 'rules', 'outside'],
  parsers: ['vscode', 'lsp', 'cli', 'rules', 'outside'],
  rules: ['vscode', 'lsp', 'cli', 'protocol', 'outside'],
  lsp: ['cli', 'outside'],
  cli: ['lsp', 'vscode', 'outside'],
};

test('engine, parsers and rules never import LSP, CLI or vscode; lsp and cli never import each other', () => {
  const problems: string[] = [];
  for (const file of tsFiles(SRC)) {
    const own = path.relative(SRC, file).split(path.sep)[0];
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const imp of info.importedFiles) {
      const a = area(file, imp.fileName);
      if (FORBIDDEN[own]?.includes(a)) problems.push(`${path.relative(REPO, file)} imports ${imp.fileName}`);
      if (own === 'rules' && a === 'external' && !['web-tree-sitter', 'yaml', 'dockerfile-ast'].includes(imp.fileName) && !imp.fileName.startsWith('node:')) {
        problems.push(`${path.relative(REPO, file)}: rules import only engine and parsers (found ${imp.fileName})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
