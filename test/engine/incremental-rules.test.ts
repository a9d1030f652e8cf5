// The real registry, incrementally: after random edits to realistic Go files, the
// incremental findings equal a from-scratch analysis (declaration-scoped rules included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { resolveFixes, type Finding } from '../../server/src/core/finding';
import { applyChanges, type TextChange } from '../../server/src/engine/incremental';
import { RULES } from '../../server/src/rules/index';
import { largeGoFile } from '../../scripts/bench/generate';
import { FIXTURES } from '../support/harness';

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(1 << 22));
});
after(() => { engine.dispose(); });

const SOURCES: { name: string; text: string }[] = [
  { name: 'generated.go', text: largeGoFile(300, 3) },
  ...['large-struct-range-copy', 'missing-context', 'unclosed-body'].flatMap((rule) => {
    const dir = path.join(FIXTURES, 'go', rule);
    return fs.readdirSync(dir).filter((f) => f.endsWith('.go')).slice(0, 2).map((f) => ({ name: `${rule}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  }),
];
const PIECES = ['x', ' ', '\n', '}', '{', 'v', 'for _, v := range xs {', 'big', '"', 'é', '\t'];

function normalise(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ rule: f.ruleId, span: f.span, message: f.message, fixes: resolveFixes(f).map((x) => x.edits) }));
}

for (const source of SOURCES) {
  test(`incremental = from scratch with every rule, random edits to ${source.name}`, () => {
    const file = `/ws/pkg/${path.basename(source.name)}`;
    const config = new StaticConfigResolver(RULES, {}, '/ws');
    const opts = { config: config.forFile(file), roots: ['/ws'] };
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 4 }), piece: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 8 }), (edits) => {
        let text = source.text;
        let prev: FileAnalysis = engine.analyze({ path: file, text }, { ...opts, keepParsed: true });
        try {
          for (const e of edits) {
            const start = e.at % (text.length + 1);
            const end = Math.min(text.length, start + e.len);
            if (/[\uDC00-\uDFFF]/.test(text[start] ?? '') || /[\uDC00-\uDFFF]/.test(text[end] ?? '')) continue;
            const change: TextChange = { start, end, text: e.piece };
            const next = applyChanges(text, [change]);
            prev = engine.analyze({ path: file, text: next }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
            const scratch = engine.analyze({ path: file, text: next }, opts);
            assert.deepEqual(normalise(prev.findings), normalise(scratch.findings), JSON.stringify(change));
            text = next;
          }
        } finally {
          prev.dispose();
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 12) },
    );
  });
}

// Found by the property above: a broken package clause, then a brace opened near the end. A declaration's
// shape must keep its parent's type (dropping it let findings of the previous version be reused).
test('incremental = from scratch: broken package clause, then an unclosed brace (regression)', () => {
  const file = '/ws/pkg/callchain.go';
  const config = new StaticConfigResolver(RULES, {}, '/ws');
  const opts = { config: config.forFile(file), roots: ['/ws'] };
  let text = fs.readFileSync(path.join(FIXTURES, 'go/missing-context/callchain.go'), 'utf8');
  let prev: FileAnalysis = engine.analyze({ path: file, text }, { ...opts, keepParsed: true });
  try {
    for (const e of [{ at: 0, len: 4, piece: 'big' }, { at: 1357783965, len: 0, piece: 'x' }, { at: 1195066354, len: 0, piece: '{' }, { at: 0, len: 0, piece: 'x' }]) {
      const start = e.at % (text.length + 1);
      const change: TextChange = { start, end: Math.min(text.length, start + e.len), text: e.piece };
      const next = applyChanges(text, [change]);
      prev = engine.analyze({ path: file, text: next }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
      assert.deepEqual(normalise(prev.findings), normalise(engine.analyze({ path: file, text: next }, opts).findings), JSON.stringify(change));
      text = next;
    }
  } finally {
    prev.dispose();
  }
});
