import { escapeControl } from './escape';
import type { Report } from '../report';

/**
 * One line per finding, `file:line:col: severity: message [rule-id]`, the
 * shape terminals turn into links and CI problem matchers parse (gcc, go vet,
 * golangci-lint's line-number). No header, no summary.
 */
export function formatCompact(report: Report): string {
  return report.findings
    .map((f) => `${escapeControl(f.relPath)}:${f.start.line}:${f.start.column}: ${f.finding.severity}: ${escapeControl(f.finding.message)} [${f.finding.ruleId}]\n`)
    .join('');
}
