import type { Severity } from '../../core/finding';
import { uniqueFingerprints } from '../baseline/fingerprint';
import type { Report } from '../report';

/** GitLab Code Quality severities: `info`, `minor`, `major`, `critical`, `blocker` (mapped as the ESLint GitLab formatter does). */
const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/** GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues with stable fingerprints. */
export function formatGitlab(report: Report): string {
  const fingerprints = uniqueFingerprints(report.findings);
  const issues: CodeQualityIssue[] = report.findings.map((f, i) => ({
    description: f.finding.message,
    check_name: f.finding.ruleId,
    fingerprint: fingerprints[i],
    severity: SEVERITY[f.finding.severity],
    location: { path: f.relPath, lines: { begin: f.start.line, end: f.end.line } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
