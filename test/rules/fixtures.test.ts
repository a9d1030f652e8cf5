// The rule harness: every rule's fixture folder, its markers both ways, its goldens,
// re-parse of fixed files, and silence at fixed sites (style.md "Fixtures").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { preferredFix, resolveFixes, type Finding } from '../../server/src/core/finding';
import type { AnyRule } from '../../server/src/engine/rule';
import {
  UPDATE_GOLDEN, applyChosen, checkMarkers, fixtureDir, fixtureRoot, fixtureSources, readGolden, runFixture, writeGolden, type FixtureRun,
} from '../support/harness';

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(50 * 1024 * 1024));
});
after(() => { engine.dispose(); });

const SYNTAX_RULES = new Set(['docker/syntax', 'k8s/yaml-syntax']);

/** Parse problems of a text, as the parsers report them (Go: ERROR/MISSING nodes; YAML/Docker: their syntax rules). */
function parseProblems(file: string, text: string): number {
  const config = new StaticConfigResolver(RULES, {}, path.dirname(file));
  const a = engine.analyze({ path: file, text }, { config: config.forFile(file), roots: [path.dirname(file)], onlyRules: SYNTAX_RULES, keepParsed: true });
  try {
    if (a.parsed?.kind === 'go') return a.parsed.root.hasError ? 1 : 0;
    if (a.parsed?.kind === 'k8s') return a.parsed.problems.filter((p) => p.severity === 'error').length + a.findings.length;
    return a.findings.length;
  } finally {
    a.dispose();
  }
}

function checkGoldens(rule: AnyRule, run: FixtureRun): string[] {
  const problems: string[] = [];
  const preferred = applyChosen(run, preferredFix);
  problems.push(...preferred.problems);
  // Alternative fixes: by title, the non-preferred fixes of every finding.
  const altTitles = new Set<string>();
  for (const f of run.findings) {
    const fixes = resolveFixes(f);
    const p = preferredFix(fixes);
    for (const fix of fixes) if (fix !== p) altTitles.add(fix.title);
  }
  const expected = new Map<string, Map<string, string>>(); // golden file -> sections
  for (const [file, text] of preferred.texts) expected.set(`${file}.golden`, new Map([['', text]]));
  for (const title of altTitles) {
    const alt = applyChosen(run, (fixes) => fixes.find((x) => x.title === title && x !== preferredFix(fixes)));
    problems.push(...alt.problems);
    for (const [file, text] of alt.texts) {
      const golden = `${file}.golden`;
      const sections = expected.get(golden) ?? new Map<string, string>();
      if (!sections.has('')) sections.set('', fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
      sections.set(title, text);
      expected.set(golden, sections);
    }
  }
  const dir = fixtureDir(rule.id);
  const existing = new Set<string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.golden')) existing.add(p);
    }
  };
  walk(dir);
  for (const [golden, sections] of expected) {
    if (UPDATE_GOLDEN) {
      writeGolden(golden, sections);
      continue;
    }
    const actual = readGolden(golden);
    if (!actual) {
      problems.push(`${path.relative(dir, golden)} is missing (a fix exists): run SHIPSHAPE_UPDATE_GOLDEN=1 npm test and review it`);
      continue;
    }
    for (const [title, text] of sections) {
      const got = actual.get(title);
      if (got === undefined) problems.push(`${path.relative(dir, golden)}: no section for fix "${title}"`);
      else if (got !== text) problems.push(`${path.relative(dir, golden)}${title ? ` [${title}]` : ''} differs from the fixed text:\n${firstDifference(got, text)}`);
    }
    for (const title of actual.keys()) if (!sections.has(title)) problems.push(`${path.relative(dir, golden)}: section "${title}" matches no fix`);
  }
  if (UPDATE_GOLDEN) {
    for (const golden of existing) if (!expected.has(golden)) fs.rmSync(golden);
  } else {
    for (const golden of existing) if (!expected.has(golden)) problems.push(`${path.relative(dir, golden)} exists but no fix edits ${path.basename(golden, '.golden')}`);
  }
  // Fixed files parse again, and the rule no longer reports at the fixed sites.
  for (const [file, text] of preferred.texts) {
    if (!fs.existsSync(file)) continue;
    const original = fs.readFileSync(file, 'utf8');
    if (parseProblems(file, text) > parseProblems(file, original)) problems.push(`${path.basename(file)}: the fixed text has new parse problems`);
    problems.push(...stillReported(rule, run, file, text));
  }
  return problems;
}

function stillReported(rule: AnyRule, run: FixtureRun, file: string, fixedText: string): string[] {
  const dir = fixtureDir(rule.id);
  const config = new StaticConfigResolver(RULES, {}, dir);
  const onlyRules = rule.domain === 'shipshape' ? undefined : new Set([rule.id]);
  const after = engine.analyze({ path: file, text: fixedText }, { config: config.forFile(file), roots: [fixtureRoot(rule, dir, file)], onlyRules });
  const source = after.source;
  const problems: string[] = [];
  const fixed: Finding[] = run.findings.filter((f) => f.file === file && preferredFix(resolveFixes(f)) !== undefined);
  // Every preferred edit in this file, to map a finding's offset into the fixed text.
  const applied = run.findings.flatMap((other) =>
    (preferredFix(resolveFixes(other))?.edits ?? []).filter((e) => !('createFile' in e) && (e.file ?? other.file) === file),
  ) as { start: number; end: number; newText: string }[];
  for (const f of fixed) {
    const shifted = applied.filter((e) => e.end <= f.span.start).reduce((at, e) => at + e.newText.length - (e.end - e.start), f.span.start);
    const line = source.lineOf(shifted);
    const again = after.findings.filter((g) => g.ruleId === rule.id && g.file === file && source.lineOf(g.span.start) === line && g.message === f.message);
    if (again.length) problems.push(`${path.basename(file)}:${line + 1}: still reported after its fix: ${f.message}`);
  }
  return problems;
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `  line ${i + 1}\n  golden: ${JSON.stringify(la[i])}\n  fixed:  ${JSON.stringify(lb[i])}`;
  }
  return '  (line endings differ)';
}

for (const rule of RULES) {
  test(`${rule.id}: fixtures match their markers`, () => {
    const dir = fixtureDir(rule.id);
    assert.ok(fs.existsSync(dir), `missing fixture folder test/fixtures/${rule.id}/`);
    assert.ok(fixtureSources(dir).length > 0, `no source files in test/fixtures/${rule.id}/`);
    const run = runFixture(engine, rule, dir, RULES);
    const notices = [...run.analyses.values()].flatMap((a) => a.notices).filter((n) => n.reason === 'internal-error');
    assert.deepEqual(notices.map((n) => n.message), [], 'the rule must not throw');
    assert.ok(run.findings.length > 0, 'a fixture folder needs flagged cases');
    const problems = checkMarkers(engine, run);
    assert.deepEqual(problems, [], `marker mismatches in test/fixtures/${rule.id}:\n${problems.join('\n')}`);
  });

  test(`${rule.id}: fixes match their goldens, parse, and silence the finding`, () => {
    const dir = fixtureDir(rule.id);
    if (!fs.existsSync(dir)) return assert.fail(`missing fixture folder test/fixtures/${rule.id}/`);
    const run = runFixture(engine, rule, dir, RULES);
    const withFixes = run.findings.filter((f) => resolveFixes(f).length > 0);
    if (rule.meta.fixable) assert.ok(withFixes.length > 0, `${rule.id} is fixable but no fixture finding offers a fix`);
    else assert.equal(withFixes.length, 0, `${rule.id} says fixable: false but offers fixes`);
    const problems = checkGoldens(rule, run);
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}
