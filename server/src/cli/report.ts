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
  source: SourceText;
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

/**
 * Gives findings their positions. `sources` holds the texts the findings were
 * computed on; a finding reported into another file (cross-file rules) reads it.
 */
export function locateFindings(cwd: string, findings: readonly Finding[], sources: ReadonlyMap<string, SourceText>, maxFileSize: number): ReportedFinding[] {
  const cache = new Map(sources);
  const sourceOf = (file: string): SourceText => {
    let s = cache.get(file);
    if (!s) {
      s = new SourceText(readTextFile(file, maxFileSize).text ?? '');
      cache.set(file, s);
    }
    return s;
  };
  const out = findings.map((finding) => {
    const source = sourceOf(finding.file);
    return { finding, relPath: relativePath(cwd, finding.file), start: source.lineCol(finding.span.start), end: source.lineCol(finding.span.end), source };
  });
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
