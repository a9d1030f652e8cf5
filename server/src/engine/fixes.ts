import { isCreateFile, resolveFixes, type CreateFileEdit, type Edit, type Finding, type Fix, type TextEditData } from '../core/finding';
import type { AnalyzeOptions, AnalyzeRequest, Engine, FileAnalysis } from './analyze';

/** Text edits of `edits` that target `filePath` (edits without `file` target the finding's own file). */
export function editsForFile(edits: readonly Edit[], filePath: string, ownFile: string): TextEditData[] {
  return edits.filter((e): e is TextEditData => !isCreateFile(e) && (e.file ?? ownFile) === filePath);
}

/** Same range and text: two fixes adding the same import, say. Merged, as go/analysis merges identical edits. */
export function editsIdentical(a: TextEditData, b: TextEditData): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText && a.file === b.file;
}

export function editsOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  // Two insertions at the same point conflict too: their order would be ambiguous.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits against the original text (identical ones once); throws on overlap (a rule bug). */
export function applyEdits(text: string, edits: readonly TextEditData[]): string {
  const sorted = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.newText < b.newText ? -1 : a.newText > b.newText ? 1 : 0))
    .filter((e, i, all) => i === 0 || !editsIdentical(all[i - 1], e));
  for (let i = 1; i < sorted.length; i++) {
    if (editsOverlap(sorted[i - 1], sorted[i])) {
      throw new Error(`overlapping edits at ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}`);
    }
  }
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end > text.length || e.start > e.end) throw new Error(`edit out of range: ${e.start}-${e.end}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Picks fixes whose edits do not overlap any already picked (first come, first
 * served, as ESLint and go/analysis do); the rest wait for the next pass.
 */
export function selectNonOverlapping(fixes: readonly { fix: Fix; file: string }[], filePath: string): { fix: Fix; file: string }[] {
  const taken: TextEditData[] = [];
  const picked: { fix: Fix; file: string }[] = [];
  for (const entry of fixes) {
    const mine = editsForFile(entry.fix.edits, filePath, entry.file);
    const selfOverlap = mine.some((e, i) => mine.some((o, j) => i < j && editsOverlap(e, o)));
    if (selfOverlap) continue;
    if (mine.some((e) => taken.some((t) => editsOverlap(e, t) && !editsIdentical(e, t)))) continue;
    taken.push(...mine);
    picked.push(entry);
  }
  return picked;
}

/** The fix `--fix` and fix-all apply for a finding: its preferred fix when safe, else its first safe one. */
export function safeFixOf(fixes: readonly Fix[]): Fix | undefined {
  const safe = fixes.filter((f) => f.safe);
  return safe.find((f) => f.preferred) ?? safe[0];
}

/** What one file needs to be re-analysed: the engine's `analyze` and a syntax check, bound to a file and config. */
export interface FixTarget {
  path: string;
  text: string;
  analyze(text: string): readonly Finding[];
  /** Count of syntax errors (or Infinity when the text is no longer a document of its kind). */
  syntaxErrors(text: string): number;
  /** True when `createFile` may be created (it does not exist and lies inside what the host may write). */
  mayCreate?(filePath: string): boolean;
  /** Only findings it accepts are fixed (e.g. one rule for "Fix all <id> in file"); default all. */
  pick?(finding: Finding): boolean;
}

export interface AppliedFix {
  ruleId: string;
  title: string;
}

export interface FixAllResult {
  /** The fixed text; the original when nothing applied or the result was dropped. */
  text: string;
  changed: boolean;
  passes: number;
  applied: AppliedFix[];
  /** Files to create, in the order their fixes applied (one per path). */
  createFiles: CreateFileEdit[];
  /** Findings of the final text. */
  remaining: readonly Finding[];
  /** Why the fixed text was dropped (it gained syntax errors), if it was. */
  dropped?: string;
}

export const MAX_FIX_PASSES = 10;

/**
 * Fix-all, shared by `--fix` and the editor's `source.fixAll`: applies the
 * safe fixes whose edits do not overlap, re-analyses, and repeats until
 * nothing changes or `maxPasses` passes ran (ESLint's loop). Fixes that edit
 * other files are left out (each file is fixed on its own). A result with more
 * syntax errors than the input is dropped: the file stays as it was.
 */
export function fixAll(target: FixTarget, maxPasses = MAX_FIX_PASSES): FixAllResult {
  let text = target.text;
  let findings = target.analyze(text);
  const original = findings;
  const applied: AppliedFix[] = [];
  const creates = new Map<string, CreateFileEdit>();
  let passes = 0;
  while (passes < maxPasses) {
    const candidates: { fix: Fix; file: string; ruleId: string }[] = [];
    for (const f of findings) {
      if (f.file !== target.path || (target.pick && !target.pick(f))) continue;
      const fix = safeFixOf(resolveFixes(f));
      if (!fix || !fix.edits.every((e) => (isCreateFile(e) ? mayCreate(target, e, creates) : (e.file ?? f.file) === target.path))) continue;
      candidates.push({ fix, file: f.file, ruleId: f.ruleId });
    }
    const picked = selectNonOverlapping(candidates, target.path) as typeof candidates;
    if (picked.length === 0) break;
    const next = applyEdits(text, picked.flatMap((p) => editsForFile(p.fix.edits, target.path, p.file)));
    const newCreates = picked.flatMap((p) => p.fix.edits.filter(isCreateFile)).filter((c) => !creates.has(c.createFile));
    if (next === text && newCreates.length === 0) break;
    for (const c of newCreates) creates.set(c.createFile, c);
    applied.push(...picked.map((p) => ({ ruleId: p.ruleId, title: p.fix.title })));
    text = next;
    passes++;
    findings = target.analyze(text);
  }
  if (text !== target.text && target.syntaxErrors(text) > target.syntaxErrors(target.text)) {
    return {
      text: target.text, changed: false, passes, applied: [], createFiles: [], remaining: original,
      dropped: 'the fixed text no longer parses as before; file left untouched',
    };
  }
  return { text, changed: text !== target.text || creates.size > 0, passes, applied, createFiles: [...creates.values()], remaining: findings };
}

function mayCreate(target: FixTarget, edit: CreateFileEdit, planned: ReadonlyMap<string, CreateFileEdit>): boolean {
  return !planned.has(edit.createFile) && (target.mayCreate?.(edit.createFile) ?? false);
}

/** A {@link FixTarget} over the engine for one file and its config; `onAnalysis` sees every analysis of the loop. */
export function engineFixTarget(
  engine: Engine, req: AnalyzeRequest, options: AnalyzeOptions,
  hooks: Pick<FixTarget, 'mayCreate' | 'pick'> & { onAnalysis?: (analysis: FileAnalysis) => void } = {},
): FixTarget {
  return {
    path: req.path,
    text: req.text,
    analyze: (text) => {
      const analysis = engine.analyze({ ...req, text, version: undefined }, { ...options, keepParsed: false });
      hooks.onAnalysis?.(analysis);
      return analysis.findings;
    },
    syntaxErrors: (text) => engine.syntaxErrors({ ...req, text }),
    mayCreate: hooks.mayCreate,
    pick: hooks.pick,
  };
}
