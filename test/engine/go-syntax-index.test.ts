// The Go syntax index (languages/go/syntax-index.ts) answers exactly what `node.descendantsOfType` answers,
// below any node of any Go fixture (error trees included), for single types and sets of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { GoParser } from '../../server/src/languages/go/parser';
import { GoSyntaxIndex, INDEXED, type IndexedType } from '../../server/src/languages/go/syntax-index';

let parser: GoParser;
before(async () => {
  parser = await GoParser.create();
});
after(() => {
  parser.dispose();
});

function goFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? goFiles(p) : e.name.endsWith('.go') ? [p] : [];
  });
}

const SETS: readonly (readonly IndexedType[])[] = [
  ['identifier'], ['call_expression'], ['short_var_declaration', 'assignment_statement', 'var_spec'], ['comment'],
  ['var_spec', 'const_spec'], ['defer_statement', 'expression_statement'], ['function_declaration', 'method_declaration', 'func_literal'],
];

/** Every node of the tree, in pre-order. */
function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    out.push(n);
    for (const c of n.children) if (c) visit(c);
  };
  visit(root);
  return out;
}

test('the index answers as descendantsOfType below every node of every Go fixture, and of a broken file', () => {
  const broken = 'package p\n\nfunc f() {\n\tx := g(\n\tif y { return }\n}\n\nfunc h() { defer z() }\n';
  const texts = [...goFiles(path.join(__dirname, '..', 'fixtures', 'go')).map((f) => fs.readFileSync(f, 'utf8')), broken];
  let checked = 0;
  for (const text of texts) {
    const file = parser.parse('/w/x.go', text);
    const named = new Set<string>();
    try {
      const index = new GoSyntaxIndex(file.root, text);
      for (const node of allNodes(file.root)) {
        for (const set of SETS) {
          const want = node.descendantsOfType([...set]).map((n) => n?.id);
          assert.deepEqual(index.ofType(node, set).map((n) => n.id), want, `${set.join(',')} below ${node.type} at ${String(node.startIndex)}`);
          checked++;
        }
        if (node.type === 'identifier' && !named.has(node.text)) {
          named.add(node.text);
          assert.deepEqual(index.identifiersNamed(file.root, node.text).map((n) => n.id), file.root.descendantsOfType('identifier').filter((n) => n?.text === node.text).map((n) => n?.id));
        }
      }
    } finally {
      file.dispose();
    }
  }
  assert.ok(checked > 1000);
  assert.ok(INDEXED.has('identifier'));
});
