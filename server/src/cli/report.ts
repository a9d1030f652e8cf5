import * as path from 'node:path';
import { SourceText, type LineCol } from '../core/source-text';
import { SEVERITY_RANK, type Finding, type Notice, type Severity } from '../core/finding';
import { readTextFile } from '../engine/disk';
import type { AnyRule } from '../engine/rule';
import type { PackageInfo } from '../host-shared/rule-docs';

/** A finding with its 1-based positions and its path relative to the working directory (forward slashes). */
export interface ReportedFinding {
  finding: Finding;
  relPath: string;
  start: LineCol;
  end: LineCol;
  /** The text of the finding's file (read again from disk when no longer held). */
  readonly source: SourceText;
}

/** What every formatter renders. */
export interface Report {
  tool: PackageInfo;
  cwd: string;
  rules: readonly AnyRule[];
  /** Files analysed (of a kind Shipshape knows). */
  filesAudited: number;
  findings: ReportedFinding[];
  notices: Notice[];
  durationMs: number;
  /** `--fix-dry-run` in a machine format: the unified diff of the fixes. */
  diff?: string;
  /** Findings left out of `findings` by `--baseline` or `--new-from-*` (for the summary). */
  hidden?: { baseline?: number; fixedSinceBaseline?: number; unchanged?: number };
}

/** Why a file could not be read as text: counted as skipped, and a run that read nothing exits 2. */
export const UNREADABLE_REASONS: ReadonlySet<Notice['reason']> = new Set(['too-large', 'binary', 'unreadable', 'over-budget']);

export function skippedFiles(notices: readonly Notice[]): Notice[] {
  return notices.filter((n) => UNREADABLE_REASONS.has(n.reason));
}

export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

/** Texts the formatters read, kept for the last few files only: findings are printed file by file. */
const TEXTS_KEPT = 4;

/**
 * Gives findings their positions. `sources` holds texts the host still has
 * (the file of `--stdin`); any other file is read from disk, its positions
 * computed, and its text dropped: an audit's report never holds every file.
 * A finding's `source` re-reads its file when a format asks (code excerpts,
 * fingerprints), keeping the last {@link TEXTS_KEPT} files read.
 */
export function locateFindings(cwd: string, findings: readonly Finding[], sources: ReadonlyMap<string, SourceText>, maxFileSize: number): ReportedFinding[] {
  const recent = new Map<string, SourceText>();
  const sourceOf = (file: string): SourceText => {
    const given = sources.get(file);
    if (given) return given;
    let s = recent.get(file);
    if (s) {
      recent.delete(file);
    } else {
      s = new SourceText(readTextFile(file, maxFileSize).text ?? '');
    }
    recent.set(file, s);
    if (recent.size > TEXTS_KEPT) recent.delete(recent.keys().next().value ?? file);
    return s;
  };
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const out: ReportedFinding[] = [];
  for (const [file, inFile] of byFile) {
    const text = sourceOf(file);
    const relPath = relativePath(cwd, file);
    for (const finding of inFile) {
      out.push({
        finding, relPath, start: text.lineCol(finding.span.start), end: text.lineCol(finding.span.end),
        get source() { return sourceOf(file); },
      });
    }
  }
  out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : a.finding.span.start - b.finding.span.start || a.finding.ruleId.localeCompare(b.finding.ruleId)));
  return out;
}

export function countBySeverity(findings: readonly ReportedFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.finding.severity]++;
  return counts;
}

export type FailOn = Severity | 'none';

/** True when a finding counts for the exit code under `--fail-on`. */
export function isAtOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}
