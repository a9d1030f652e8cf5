import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';
import fc from 'fast-check';
import { bracketDepth, bracketDepthAfter } from '../../server/src/engine/budget';
import { applyChanges } from '../../server/src/engine/incremental';

const NO_FILES: FileSource = { readText: () => undefined, listDir: () => undefined, versionOf: () => undefined };
let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, NO_FILES);
});
after(() => { engine.dispose(); });

/** A real-looking Go file of `n` handlers (every handler has findings and fixes). */
function bigGo(n: number): string {
  const parts = ['package svc\n\nimport (\n\t"net/http"\n\t"regexp"\n)\n'];
  for (let i = 0; i < n; i++) {
    parts.push(`\nfunc Handle${i}(w http.ResponseWriter, r *http.Request) {\n\tre := regexp.MustCompile("a+b${i}")\n\tresp, _ := http.Get("http://x/${i}")\n\t_ = resp\n\tgo func() { _ = re }()\n}\n`);
  }
  return parts.join('');
}

test('a file over its time budget (maxFileTime) is skipped with an over-budget notice naming the step', () => {
  const text = bigGo(2000);
  const config = new StaticConfigResolver(RULES, { maxFileTime: 100 }, '/w');
  const a = engine.analyze({ path: '/w/big.go', text }, { config: config.forFile('/w/big.go'), roots: ['/w'] });
  assert.deepEqual(a.findings, []);
  assert.equal(a.notices.length, 1);
  assert.equal(a.notices[0].reason, 'over-budget');
  assert.match(a.notices[0].message, /took over 100 ms, this file's time budget .* at (parsing|the Go query|go\/[a-z-]+): not analysed/);
  // The default budget (2 s + 10 ms per KB) analyses it.
  const full = engine.analyze({ path: '/w/big.go', text }, { config: new StaticConfigResolver(RULES, {}, '/w').forFile('/w/big.go'), roots: ['/w'] });
  assert.ok(full.findings.length > 0);
  assert.deepEqual(full.notices, []);
});

test('maxFileTime is validated: an integer from 100 to 600000', () => {
  const validator = new ConfigValidator(RULES);
  assert.ok(validator.check('.shipshape.yaml', 'maxFileTime: 5000\n').config);
  for (const bad of ['maxFileTime: 1e309\n', 'maxFileTime: 10\n', 'maxFileTime: 700000\n', 'maxFileTime: .inf\n']) {
    assert.equal(validator.check('.shipshape.yaml', bad).config, undefined, bad);
  }
});

test('analyzeAsync lets the event loop run between rules and abandons a stale version', async () => {
  const text = bigGo(400);
  const config = new StaticConfigResolver(RULES, {}, '/w').forFile('/w/big.go');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const sync = engine.analyze({ path: '/w/big.go', text }, { config, roots: ['/w'] });
  const a = await engine.analyzeAsync({ path: '/w/big.go', text }, { config, roots: ['/w'] }, { stale: () => false, sliceMs: 1 });
  clearInterval(timer);
  assert.ok(a);
  assert.deepEqual(a.findings.map((f) => f.key), sync.findings.map((f) => f.key), 'the same findings as the synchronous analysis');
  assert.ok(ticks > 3, `timers ran ${ticks} times during the analysis`);
  let stale = false;
  setImmediate(() => (stale = true));
  const abandoned = await engine.analyzeAsync({ path: '/w/big.go', text }, { config, roots: ['/w'], keepParsed: true }, { stale: () => stale, sliceMs: 0 });
  assert.equal(abandoned, undefined);
});

test('the nesting bound carried from version to version never falls below the text\'s bracket depth', () => {
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom('(', ')', '[', ']', '{', '}', 'x') }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: fc.constantFrom('(', ')', '{', '}', 'x'), maxLength: 3 }))), (start, edits) => {
    let text = start;
    let bound = bracketDepth(text);
    for (const [at, len, inserted] of edits) {
      const s = at % (text.length + 1);
      const change = { start: s, end: Math.min(text.length, s + len), text: inserted };
      const next = applyChanges(text, [change]);
      bound = bracketDepthAfter(next, { analysis: { source: { text }, nestingBound: bound }, changes: [change] }, 1000);
      assert.ok(bound >= bracketDepth(next), `${JSON.stringify(next)}: bound ${bound}`);
      text = next;
    }
  }));
});
