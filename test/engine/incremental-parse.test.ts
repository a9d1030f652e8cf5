// Property: the Go adapter's incremental re-parse gives, node for node (type, field, range,
// point, missing), the tree a fresh parse gives, whatever the edit history: edits that open
// and close braces, strings, raw strings and comments across declarations, errors that stay
// while typing goes on elsewhere, several changes at once. The adapter keeps an incremental
// tree with errors only when a fresh parse of each region holding one agrees
// (`agreesWithFreshParse`); this checks that the regions it checks are enough.
// FC_RUNS=N runs N sequences per source, FC_SEED replays one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Tree } from 'web-tree-sitter';
import { GoAdapter } from '../../server/src/languages/go/adapter';
import type { GoFile } from '../../server/src/languages/go/parser';
import { changedSpan } from '../../server/src/languages/go/incremental';
import { SourceText } from '../../server/src/core/source-text';
import { applyChanges, type TextChange } from '../../server/src/engine/incremental';
import { FIXTURES } from '../support/harness';

let adapter: GoAdapter;
before(async () => {
  adapter = await GoAdapter.create();
});
after(() => { adapter.close(); });

/** Every node in pre-order, with its depth, type, field, range, points and missing flag. */
function dump(tree: Tree): string[] {
  const c = tree.walk();
  const out: string[] = [];
  try {
    for (;;) {
      out.push(`${c.currentDepth} ${c.nodeType} ${c.currentFieldName ?? ''} ${c.startIndex}-${c.endIndex} ${c.startPosition.row}:${c.startPosition.column}-${c.endPosition.row}:${c.endPosition.column}${c.nodeIsMissing ? ' MISSING' : ''}`);
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
    }
  } finally {
    c.delete();
  }
}

const GOROOT = '/usr/lib/go-1.23/src';
const SOURCES = [
  path.join(FIXTURES, 'go/unclosed-body/crlf.go'),
  path.join(FIXTURES, 'go/missing-context/nethttp.go'),
  ...['net/http/pprof/pprof.go', 'database/sql/convert.go'].map((p) => path.join(GOROOT, p)),
].filter((p) => fs.existsSync(p));

/** Pieces that open or close what spans declarations: braces, strings, raw strings, comments, a declaration's head. */
const PIECES = ['x', ' ', '\n', '{', '}', '(', ')', '"', '`', "'", '/*', '*/', '//', ';', ':=', 'é', '🚀', '\r\n', 'func f() {\n', '}\n\nfunc g() {\n', 'type T struct {\n', 'import (\n', 'go func() {}()\n\t', '"\n'];

const CHANGE = fc.record({ at: fc.nat(), len: fc.nat({ max: 8 }), piece: fc.constantFrom(...PIECES, '') });

test('changedSpan: the union of sequential changes, after the last', () => {
  assert.deepEqual(changedSpan([]), undefined);
  assert.deepEqual(changedSpan([{ start: 5, end: 7, text: 'abc' }]), { start: 5, end: 8 });
  // A later change before the first shifts it.
  assert.deepEqual(changedSpan([{ start: 10, end: 10, text: 'ab' }, { start: 0, end: 3, text: '' }]), { start: 0, end: 9 });
  // A later change inside the first.
  assert.deepEqual(changedSpan([{ start: 10, end: 10, text: 'abcd' }, { start: 11, end: 12, text: 'xyz' }]), { start: 10, end: 16 });
});

for (const file of SOURCES) {
  test(`incremental tree = fresh tree over random edits: ${path.basename(file)}`, () => {
    const original = fs.readFileSync(file, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.array(CHANGE, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), (steps) => {
        let text = original;
        let parsed: GoFile = adapter.parse('/ws/x.go', new SourceText(text), undefined);
        try {
          for (const step of steps) {
            const changes: TextChange[] = [];
            let next = text;
            for (const s of step) {
              const start = s.at % (next.length + 1);
              const end = Math.min(next.length, start + s.len);
              // Never split a surrogate pair (an editor cannot).
              if (/[\uDC00-\uDFFF]/.test(next[start] ?? '') || /[\uDC00-\uDFFF]/.test(next[end] ?? '')) continue;
              const change = { start, end, text: s.piece };
              changes.push(change);
              next = applyChanges(next, [change]);
            }
            if (changes.length === 0) continue;
            const incremental = adapter.parse('/ws/x.go', new SourceText(next), undefined, { parsed, changes });
            parsed.dispose();
            parsed = incremental;
            text = next;
            const fresh = adapter.parse('/ws/x.go', new SourceText(next), undefined);
            try {
              assert.deepEqual(dump(incremental.tree), dump(fresh.tree), JSON.stringify(changes));
            } finally {
              fresh.dispose();
            }
          }
        } finally {
          parsed.dispose();
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 10), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  });
}
