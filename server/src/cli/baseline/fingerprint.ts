import { createHash } from 'node:crypto';
import type { ReportedFinding } from '../report';

/**
 * What identifies a finding across commits: its rule, the text of its first
 * line and the flagged text (whitespace collapsed), not its line number or
 * file. So unrelated edits above it and a rename of its file keep it the same
 * finding; editing the flagged line makes it a new one.
 */
export function contentHash(f: ReportedFinding): string {
  const flagged = f.source.text.slice(f.finding.span.start, Math.min(f.finding.span.end, f.finding.span.start + 200));
  const lineText = f.source.lineText(f.source.lineOf(f.finding.span.start));
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update([f.finding.ruleId, squash(lineText), squash(flagged)].join('\0')).digest('hex').slice(0, 24);
}

/**
 * A unique, stable id per finding of a report (GitLab Code Quality
 * `fingerprint`): the content hash, the file, and which occurrence of that
 * pair it is in the file.
 */
export function uniqueFingerprints(findings: readonly ReportedFinding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${contentHash(f)}\0${f.relPath}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  });
}
