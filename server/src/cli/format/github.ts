import { escapeControl } from './escape';
import type { Severity } from '../../core/finding';
import { relativePath, type Report } from '../report';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the
 * pull request's diff (`::warning file=...,line=...::message`); files that
 * could not be audited become notices, internal errors errors.
 */
export function formatGithub(report: Report): string {
  const lines = report.findings.map((f) => {
    const props = [
      `file=${escapeProperty(f.relPath)}`,
      `line=${f.start.line}`, `col=${f.start.column}`, `endLine=${f.end.line}`, `endColumn=${f.end.column}`,
      `title=${escapeProperty(`${f.finding.ruleId} (Shipshape)`)}`,
    ];
    return `::${COMMAND[f.finding.severity]} ${props.join(',')}::${escapeData(f.finding.message)}\n`;
  });
  for (const n of report.notices) {
    if (n.reason === 'excluded') continue;
    const kind = n.reason === 'internal-error' ? 'error' : 'notice';
    const what = n.reason === 'internal-error' ? `internal error: ${n.message}` : `not audited: ${n.message} (${n.reason})`;
    lines.push(`::${kind} file=${escapeProperty(relativePath(report.cwd, n.file))},title=Shipshape::${escapeData(what)}\n`);
  }
  return lines.join('');
}

/** The escaping of @actions/core `issueCommand` for the message. */
function escapeData(s: string): string {
  // Other control characters (ESC, bidi overrides) are made visible first: they would reach the log raw.
  return escapeControl(s, { keepLineBreaks: true }).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** ... and for property values, which also end at `:` and `,`. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
