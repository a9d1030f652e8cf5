// The fix-all loop shared by --fix and the editor's source.fixAll (engine/fixes.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixAll, type FixTarget } from '../../server/src/engine/fixes';
import type { Finding, Fix } from '../../server/src/core/finding';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { engineFixTarget } from '../../server/src/engine/fixes';
import { RULES } from '../../server/src/rules/index';
import { FIXTURES, fixtureSources } from '../support/harness';

/** A toy analysis: every "bad" is a finding whose safe fix turns it into "good"; "risky" only has an unsafe fix. */
function toyTarget(text: string, extra: Partial<FixTarget> = {}): FixTarget & { calls: number } {
  const target = {
    path: '/w/a.txt',
    text,
    calls: 0,
    analyze(t: string): Finding[] {
      target.calls++;
      const out: Finding[] = [];
      for (const m of t.matchAll(/bad|risky|\(\)/g)) {
        const start = m.index;
        const end = start + m[0].length;
        const fixes: Fix[] =
          m[0] === 'bad' ? [{ title: 'Make it good', safe: true, edits: [{ start, end, newText: 'good' }] }]
          : m[0] === 'risky' ? [{ title: 'Guess', safe: false, edits: [{ start, end, newText: 'guessed' }] }]
          : [{ title: 'Fill', safe: true, edits: [{ start: start + 1, end: start + 1, newText: 'bad' }] }];
        out.push({ ruleId: 'toy/x', file: '/w/a.txt', span: { start, end }, message: m[0], severity: 'warning', fixes, key: `${start}` });
      }
      return out;
    },
    syntaxErrors: (t: string) => (t.includes('BROKEN') ? 1 : 0),
    ...extra,
  };
  return target;
}

test('applies safe fixes, re-analyses until nothing changes, never applies unsafe ones', () => {
  const r = fixAll(toyTarget('a bad b () risky'));
  assert.equal(r.text, 'a good b (good) risky');
  assert.equal(r.passes, 2, 'the () fix creates a new "bad", fixed on the second pass');
  assert.deepEqual(r.remaining.map((f) => f.message), ['risky']);
  assert.equal(r.changed, true);
});

test('pick narrows the findings that get fixed', () => {
  const r = fixAll({ ...toyTarget('bad ()'), pick: (f) => f.message === 'bad' });
  assert.equal(r.text, 'good ()');
});

test('stops after maxPasses', () => {
  const target = toyTarget('()');
  const r = fixAll(target, 1);
  assert.equal(r.passes, 1);
  assert.equal(r.text, '(bad)');
});

test('overlapping fixes wait for the next pass', () => {
  const target = toyTarget('bad', {
    analyze(t: string): Finding[] {
      if (t !== 'bad') return [];
      const mk = (title: string, newText: string): Finding => ({
        ruleId: 'toy/y', file: '/w/a.txt', span: { start: 0, end: 3 }, message: title, severity: 'info', key: title,
        fixes: [{ title, safe: true, edits: [{ start: 0, end: 3, newText }] }],
      });
      return [mk('one', 'ONE'), mk('two', 'TWO')];
    },
  });
  const r = fixAll(target);
  assert.equal(r.text, 'ONE');
  assert.equal(r.applied.length, 1);
});

test('a result that gains syntax errors is dropped: the text stays as it was', () => {
  const target = toyTarget('bad', {
    analyze: (t: string): Finding[] => (t === 'bad' ? [{
      ruleId: 'toy/z', file: '/w/a.txt', span: { start: 0, end: 3 }, message: 'm', severity: 'info', key: 'k',
      fixes: [{ title: 'Break', safe: true, edits: [{ start: 0, end: 3, newText: 'BROKEN' }] }],
    }] : []),
  });
  const r = fixAll(target);
  assert.equal(r.text, 'bad');
  assert.equal(r.changed, false);
  assert.match(r.dropped ?? '', /left untouched/);
});

test('create-file edits only where the host allows them, once per path', () => {
  const finding = (t: string): Finding[] => (t.includes('need') ? [{
    ruleId: 'toy/c', file: '/w/a.txt', span: { start: 0, end: 4 }, message: 'm', severity: 'info', key: 'k',
    fixes: [{ title: 'Create', safe: true, edits: [{ createFile: '/w/.dockerignore', text: '.git\n' }] }],
  }] : []);
  const denied = fixAll(toyTarget('need', { analyze: finding }));
  assert.deepEqual(denied.createFiles, []);
  const allowed = fixAll(toyTarget('need', { analyze: finding, mayCreate: () => true }));
  assert.deepEqual(allowed.createFiles, [{ createFile: '/w/.dockerignore', text: '.git\n' }]);
  assert.equal(allowed.changed, true);
});

// Every fixture folder, fixed twice (on a copy, as --fix would), changes nothing the second time.
let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(50 * 1024 * 1024));
});
after(() => { engine.dispose(); });

const ruleDirs = fs.existsSync(FIXTURES)
  ? fs.readdirSync(FIXTURES).flatMap((d) => (fs.statSync(path.join(FIXTURES, d)).isDirectory() ? fs.readdirSync(path.join(FIXTURES, d)).map((r) => `${d}/${r}`) : []))
  : [];

for (const ruleId of ruleDirs) {
  test(`${ruleId}: fixing twice changes nothing the second time`, () => {
    const rule = RULES.find((r) => r.id === ruleId);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fix2-'));
    try {
      fs.cpSync(path.join(FIXTURES, ruleId), copy, { recursive: true });
      const config = new StaticConfigResolver(RULES, {}, copy);
      const onlyRules = !rule || rule.domain === 'shipshape' ? undefined : new Set([ruleId]);
      const fixOnce = (): string[] => {
        const changed: string[] = [];
        for (const file of fixtureSources(copy)) {
          const text = fs.readFileSync(file, 'utf8');
          const mayCreate = (p: string): boolean => p.startsWith(copy + path.sep) && !fs.existsSync(p);
          const r = fixAll(engineFixTarget(engine, { path: file, text }, { config: config.forFile(file), roots: [copy], onlyRules }, { mayCreate }));
          if (!r.changed) continue;
          changed.push(path.relative(copy, file));
          fs.writeFileSync(file, r.text);
          for (const c of r.createFiles) fs.writeFileSync(c.createFile, c.text);
        }
        return changed;
      };
      fixOnce();
      assert.deepEqual(fixOnce(), [], 'the second --fix changed these files');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
}
