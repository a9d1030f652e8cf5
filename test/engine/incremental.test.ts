// Incremental analysis must give exactly the findings of a from-scratch analysis after every edit.
import type { Node as TreeNode } from 'web-tree-sitter';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { resolveFixes, type Finding } from '../../server/src/core/finding';
import { defineGoRule, type AnyRule } from '../../server/src/engine/rule';
import { applyChanges, mapOffset, type TextChange } from '../../server/src/engine/incremental';

// A declaration-scoped rule whose findings depend on a package fact (names of funcs containing "Handler"),
// with a lazy fix that edits the import block; and a file-scoped rule counting calls.
const declRule = defineGoRule({
  id: 'go/test-decl',
  meta: { title: 't', description: 't', severity: 'warning', fixable: true, messages: { m: 'call {name} in {fn} (handlers: {n})' } },
  scope: 'declaration',
  queries: { call: '(call_expression function: (identifier) @fn) @call' },
  contextKey: (file) => handlerNames(file.root).join(','),
  check(ctx, file, m) {
    const n = handlerNames(file.root).length;
    for (const c of m.call) {
      let fn = c.call.parent;
      while (fn && fn.type !== 'function_declaration') fn = fn.parent;
      const name = fn?.childForFieldName('name')?.text ?? '?';
      const call = c.call;
      ctx.report({
        node: c.fn, messageId: 'm', data: { name: c.fn.text, fn: name, n },
        fixes: () => [{ title: 'Rename', safe: true, edits: [{ start: call.startIndex, end: call.startIndex, newText: '_' }] }],
      });
    }
  },
});
const fileRule = defineGoRule({
  id: 'go/test-file',
  meta: { title: 't', description: 't', severity: 'info', fixable: false, messages: { m: '{n} go statements in file' } },
  queries: { go: '(go_statement) @go' },
  check(ctx, _file, m) {
    if (m.go.length > 0) ctx.report({ node: m.go[0].go, messageId: 'm', data: { n: m.go.length } });
  },
});

function handlerNames(root: TreeNode): string[] {
  return root.namedChildren.filter((n) => n?.type === 'function_declaration').map((n) => n?.childForFieldName('name')?.text ?? '').filter((x) => x.includes('Handler'));
}

const RULES: AnyRule[] = [declRule, fileRule];
let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(1 << 20));
});
after(() => { engine.dispose(); });

const BASE = `package main

import "fmt"

// café 🚀 日本
func aHandler() {
\tfoo(1)
\tgo bar()
}

func helper(x int) int {
\treturn baz(x) + qux()
}

type T struct{ A int }

func main() {
\tgo aHandler()
\tfmt.Println(helper(2))
}
`;

const config = new StaticConfigResolver(RULES, {}, '/ws');
const opts = { config: config.forFile('/ws/main.go'), roots: ['/ws'] };

function normalise(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ rule: f.ruleId, span: f.span, message: f.message, fixes: resolveFixes(f).map((x) => x.edits) }));
}

const PIECES = ['x', ' ', '\n', '(', ')', '{', '}', 'Handler', 'go f()', 'call()', '"s"', 'é', '🚀', '\r\n', 'func g() {}\n'];

test('incremental findings equal from-scratch findings after every random edit (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 6 }), piece: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 25 }),
      (edits) => {
        let text = BASE;
        let prev: FileAnalysis = engine.analyze({ path: '/ws/main.go', text, version: 0 }, { ...opts, keepParsed: true });
        try {
          edits.forEach((e, i) => {
            const start = e.at % (text.length + 1);
            // Never split a surrogate pair or a CRLF: editors do not either.
            const end = Math.min(text.length, start + e.len);
            if (/[\uDC00-\uDFFF]/.test(text[start] ?? '') || /[\uDC00-\uDFFF]/.test(text[end] ?? '')) return;
            const change: TextChange = { start, end, text: e.piece };
            const next = applyChanges(text, [change]);
            const incremental = engine.analyze({ path: '/ws/main.go', text: next, version: i + 1 }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
            const scratch = engine.analyze({ path: '/ws/main.go', text: next }, opts);
            prev = incremental;
            text = next;
            assert.deepEqual(normalise(incremental.findings), normalise(scratch.findings), `after edit ${i}: ${JSON.stringify(change)}`);
            assert.equal(incremental.parsed?.kind === 'go' && incremental.parsed.root.toString(), (() => {
              const p = engine.goParser.parse('/ws/x.go', next);
              try { return p.root.toString(); } finally { p.dispose(); }
            })(), 'incremental tree equals a fresh parse');
          });
        } finally {
          prev.dispose();
        }
      },
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 60), seed: Number(process.env.FC_SEED ?? Date.now() % 2147483647) },
  );
});

test('untouched declarations reuse their findings; the edited one is re-run', () => {
  let calls = 0;
  const counting = defineGoRule({ ...declRule, id: 'go/test-count', check(ctx, file, m) { calls++; declRule.check(ctx, file, m); } });
  return Engine.create([counting], new DiskFileSource(1 << 20)).then((e) => {
    const c = new StaticConfigResolver([counting], {}, '/ws');
    const o = { config: c.forFile('/ws/main.go'), roots: ['/ws'], keepParsed: true };
    const first = e.analyze({ path: '/ws/main.go', text: BASE }, o);
    const before = calls;
    const at = BASE.indexOf('baz');
    const change = { start: at, end: at, text: 'q' };
    const second = e.analyze({ path: '/ws/main.go', text: applyChanges(BASE, [change]) }, { ...o, previous: { analysis: first, changes: [change] } });
    assert.equal(calls - before, 1, 'only helper() re-ran');
    assert.ok(second.findings.some((f) => f.message.startsWith('call qbaz')));
    second.dispose();
    e.dispose();
  });
});

test('mapOffset through sequential changes', () => {
  const changes = [{ start: 2, end: 4, text: 'xyz' }, { start: 0, end: 0, text: 'a' }];
  assert.equal(mapOffset(1, changes), 2);
  assert.equal(mapOffset(3, changes), undefined);
  assert.equal(mapOffset(5, changes), 7);
});
