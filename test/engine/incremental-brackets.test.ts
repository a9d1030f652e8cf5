// Property: typing a bracket, quote or comment opener (which error recovery may
// stretch over the rest of the file: the declarations after it vanish into one
// with an error), typing on elsewhere, then erasing it (they come back) gives,
// at every version, the findings of a from-scratch analysis. Declarations that
// come back reuse what an earlier version found for them (the runner's retired
// pool); declarations holding an error are not checked. Real files and the
// bench's generated file. FC_RUNS=N runs N sequences per source, FC_SEED replays one.
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

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(1 << 22));
});
after(() => { engine.dispose(); });

const GOROOT = '/usr/lib/go-1.23/src';
const SOURCES = [
  { name: 'generated (bench)', path: '/ws/bench/shop.go', text: largeGoFile(600) },
  ...['net/http/httputil/reverseproxy.go', 'net/http/pprof/pprof.go']
    .map((p) => path.join(GOROOT, p))
    .filter((p) => fs.existsSync(p))
    .map((p) => ({ name: path.relative(GOROOT, p), path: `/ws/real/${path.basename(p)}`, text: fs.readFileSync(p, 'utf8') })),
];
const RUNS = Number(process.env.FC_RUNS ?? 6);
const OPENERS = ['(', '(', ')', '{', '}', '[', '"', '`', '/*'];
const TYPED = ['x', 'err', ')', '\n\t', 'return\n\t'];

function normalise(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ rule: f.ruleId, span: f.span, message: f.message, severity: f.severity, related: f.related, fixes: resolveFixes(f).map((x) => ({ title: x.title, edits: x.edits })) }));
}

/** Line starts after indentation (inside bodies), where typing happens. */
function sites(text: string): number[] {
  return [...text.matchAll(/\n\t+/g)].map((m) => m.index + m[0].length);
}

for (const source of SOURCES) {
  test(`bracket typed, typing on, bracket erased = from scratch: ${source.name}`, () => {
    const config = new StaticConfigResolver(RULES, {}, path.dirname(source.path));
    const opts = { config: config.forFile(source.path), roots: [path.dirname(source.path)] };
    const at = sites(source.text);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }), fc.boolean(), (site, opener, typing, twice) => {
        let text = source.text;
        let prev: FileAnalysis = engine.analyze({ path: source.path, text }, { ...opts, keepParsed: true });
        const step = (change: TextChange): void => {
          const next = applyChanges(text, [change]);
          prev = engine.analyze({ path: source.path, text: next }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
          const scratch = engine.analyze({ path: source.path, text: next }, opts);
          assert.deepEqual(normalise(prev.findings), normalise(scratch.findings), JSON.stringify(change));
          text = next;
        };
        try {
          for (let round = 0; round < (twice ? 2 : 1); round++) {
            const start = at[(site + round) % at.length];
            const open = OPENERS[opener % OPENERS.length];
            step({ start, end: start, text: open });
            // Typing after the opener (the edits land after it: its offset holds).
            let typed = 0;
            for (const [where, what] of typing) {
              const later = sites(text).filter((s) => s > start + open.length);
              if (later.length === 0) break;
              const t = TYPED[what % TYPED.length];
              step({ start: later[where % later.length], end: later[where % later.length], text: t });
              typed++;
            }
            step({ start, end: start + open.length, text: '' });
            if (typed === 0) assert.equal(text, source.text);
          }
        } finally {
          prev.dispose();
        }
      }),
      { numRuns: RUNS, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  });
}
