import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { applyEdits, editsForFile, editsIdentical, editsOverlap } from '../../server/src/engine/fixes';
import { isCreateFile, preferredFix, resolveFixes, type Finding, type Fix, type Span } from '../../server/src/core/finding';
import type { AnyRule, ParsedFile } from '../../server/src/engine/rule';
import { documentKindOf } from '../../server/src/engine/languages';
import { type SourceText } from '../../server/src/core/source-text';
import { parseMarkers, type Expectation } from './markers';

export const REPO = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(REPO, 'test/fixtures');
export const UPDATE_GOLDEN = process.env.SHIPSHAPE_UPDATE_GOLDEN === '1';

export function fixtureDir(ruleId: string): string {
  return path.join(FIXTURES, ruleId);
}

/** Source files of a fixture folder (recursively), i.e. what the engine would audit there. */
export function fixtureSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.golden') && documentKindOf(p) !== undefined) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Comments of a parsed fixture, as its language's adapter finds them (markers live in comments). */
export function commentSpans(engine: Engine, parsed: ParsedFile): Span[] {
  return engine.adapterOf(parsed).comments(parsed);
}

export interface FixtureRun {
  engine: Engine;
  analyses: Map<string, FileAnalysis>;
  findings: Finding[];
}

/**
 * The root a fixture file is analysed under: the rule's fixture folder, except
 * for cross-file (`x/`) rules, whose every top-level folder is one mini
 * workspace (its own root: the service model of one case never links to
 * another case's files).
 */
export function fixtureRoot(rule: AnyRule, dir: string, file: string): string {
  if (rule.domain !== 'x') return dir;
  const top = path.relative(dir, file).split(path.sep)[0];
  return top === path.basename(file) ? dir : path.join(dir, top);
}

/** Analyses every source file of a rule's fixture folder with only that rule (all rules for `shipshape/`, which reports on others). */
export function runFixture(engine: Engine, rule: AnyRule, dir: string, registry: readonly AnyRule[]): FixtureRun {
  const config = new StaticConfigResolver(registry, {}, dir);
  const onlyRules = rule.domain === 'shipshape' ? undefined : new Set([rule.id]);
  const analyses = new Map<string, FileAnalysis>();
  for (const file of fixtureSources(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    analyses.set(file, engine.analyze({ path: file, text }, { config: config.forFile(file), roots: [fixtureRoot(rule, dir, file)], onlyRules }));
  }
  const findings = [...analyses.values()].flatMap((a) => a.findings).filter((f) => f.ruleId === rule.id);
  return { engine, analyses, findings };
}

function describeFinding(f: Finding, source: SourceText): string {
  const p = source.lineCol(f.span.start);
  return `${path.basename(f.file)}:${p.line}:${p.column} ${JSON.stringify(f.message)} @${JSON.stringify(source.text.slice(f.span.start, f.span.end))}`;
}

/** Every finding must match a marker and every marker a finding; returns the problems. */
export function checkMarkers(engine: Engine, run: FixtureRun): string[] {
  const problems: string[] = [];
  for (const [file, analysis] of run.analyses) {
    const text = analysis.source.text;
    const parsed = engine.parse({ path: file, text }, analysis.source);
    if (!parsed) continue;
    let expectations: Expectation[];
    try {
      expectations = parseMarkers(analysis.source, commentSpans(engine, parsed));
    } finally {
      if (parsed.kind === 'go') parsed.dispose();
    }
    const findings = run.findings.filter((f) => f.file === file);
    const unmatched = new Set(findings);
    for (const exp of expectations) {
      const candidates = [...unmatched].filter((f) => analysis.source.lineOf(f.span.start) === exp.line && exp.pattern.test(f.message));
      const match = candidates.find((f) => exp.rangeText === undefined || rangeIsFirstOccurrence(analysis.source, exp, f)) ;
      if (!match) {
        const where = `${path.basename(file)}:${exp.line + 1}`;
        const near = findings.filter((f) => analysis.source.lineOf(f.span.start) === exp.line).map((f) => describeFinding(f, analysis.source));
        problems.push(`${where}: expected a finding matching /${exp.pattern.source}/${exp.rangeText !== undefined ? ` @${JSON.stringify(exp.rangeText)}` : ''}; on that line: ${near.length ? near.join('; ') : 'none'}`);
        continue;
      }
      unmatched.delete(match);
    }
    for (const f of unmatched) problems.push(`unexpected finding ${describeFinding(f, analysis.source)}`);
  }
  return problems;
}

function rangeIsFirstOccurrence(source: SourceText, exp: Expectation, f: Finding): boolean {
  const lineStart = source.lineStart(exp.line);
  const at = source.lineText(exp.line).indexOf(exp.rangeText ?? '');
  if (at < 0) return false;
  return f.span.start === lineStart + at && f.span.end === lineStart + at + (exp.rangeText ?? '').length;
}

/** Golden sections: '' = preferred fixes; other keys = fix titles of alternatives. */
export function readGolden(file: string): Map<string, string> | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const sections = new Map<string, string>();
  const header = /^-- (.+) --\r?\n/gm;
  let current = '';
  let at = 0;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    sections.set(current, text.slice(at, m.index));
    current = m[1];
    at = m.index + m[0].length;
  }
  sections.set(current, text.slice(at));
  return sections;
}

export function writeGolden(file: string, sections: Map<string, string>): void {
  let out = sections.get('') ?? '';
  for (const [title, text] of sections) if (title !== '') out += `-- ${title} --\n${text}`;
  fs.writeFileSync(file, out);
}

export interface AppliedFixes {
  /** File path -> fixed text (files that any fix edits or creates). */
  texts: Map<string, string>;
  problems: string[];
}

/** Applies, per finding, the fix chosen by `choose`; edits of different findings are independent edits against the original. */
export function applyChosen(run: FixtureRun, choose: (fixes: Fix[]) => Fix | undefined): AppliedFixes {
  const problems: string[] = [];
  const byFile = new Map<string, { start: number; end: number; newText: string; key: string }[]>();
  const created = new Map<string, string>();
  for (const f of run.findings) {
    const fix = choose(resolveFixes(f));
    if (!fix) continue;
    for (const e of fix.edits) {
      if (isCreateFile(e)) {
        created.set(e.createFile, e.text);
        continue;
      }
      const target = e.file ?? f.file;
      const list = byFile.get(target) ?? [];
      for (const other of list) {
        if (other.key !== f.key && editsOverlap(other, e) && !editsIdentical(other, e)) problems.push(`fixes of two findings overlap in ${path.basename(target)} at ${e.start}-${e.end}`);
      }
      list.push({ ...e, key: f.key });
      byFile.set(target, list);
    }
  }
  const texts = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const original = run.analyses.get(file)?.source.text ?? fs.readFileSync(file, 'utf8');
    try {
      texts.set(file, applyEdits(original, edits));
    } catch (e) {
      problems.push(`${path.basename(file)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const [file, text] of created) texts.set(file, text);
  return { texts, problems };
}

export { editsForFile, preferredFix };
