import { createColors } from 'picocolors';
import type { Notice } from '../../core/finding';
import { escapeControl } from './escape';
import { countBySeverity, relativePath, skippedFiles, type Report } from '../report';

export interface TextOptions {
  color: boolean;
  /** End with the summary line (off for --quiet). */
  summary?: boolean;
}

/**
 * Findings grouped by file, one per line: `  line:col  severity  message  rule-id`,
 * columns aligned, then one summary line. Colour only when asked (a TTY).
 */
export function formatText(report: Report, options: TextOptions): string {
  const c = createColors(options.color);
  const paint = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  const byFile = new Map<string, Report['findings']>();
  for (const f of report.findings) byFile.set(f.relPath, [...(byFile.get(f.relPath) ?? []), f]);
  for (const [file, findings] of byFile) {
    lines.push(c.underline(escapeControl(file)));
    const posWidth = Math.max(...findings.map((f) => `${f.start.line}:${f.start.column}`.length));
    const sevWidth = Math.max(...findings.map((f) => f.finding.severity.length));
    for (const f of findings) {
      const pos = `${f.start.line}:${f.start.column}`.padEnd(posWidth);
      const sev = paint[f.finding.severity](f.finding.severity.padEnd(sevWidth));
      lines.push(`  ${c.dim(pos)}  ${sev}  ${escapeControl(f.finding.message)}  ${c.dim(f.finding.ruleId)}`);
    }
    lines.push('');
  }
  if (options.summary === false) return lines.length ? `${lines.slice(0, -1).join('\n')}\n` : '';
  lines.push(summaryLine(report, c));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: Report, c = createColors(false)): string {
  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  const seconds = (report.durationMs / 1000).toFixed(2);
  const files = report.filesAudited === 0 ? 'no files' : `${report.filesAudited} file${report.filesAudited === 1 ? '' : 's'}`;
  const head = total === 0 ? c.green('no findings') : c.bold(`${total} finding${total === 1 ? '' : 's'}`);
  const extra: string[] = [];
  const skipped = skippedFiles(report.notices);
  if (skipped.length) {
    const byReason = new Map<string, number>();
    for (const n of skipped) byReason.set(n.reason, (byReason.get(n.reason) ?? 0) + 1);
    extra.push(c.yellow(`${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped (${[...byReason].map(([r, n]) => `${n} ${r}`).join(', ')})`));
  }
  const hidden = report.hidden;
  if (hidden?.baseline !== undefined) extra.push(`${hidden.baseline} known from the baseline not shown${hidden.fixedSinceBaseline ? `, ${hidden.fixedSinceBaseline} fixed since` : ''}`);
  if (hidden?.unchanged !== undefined) extra.push(`${hidden.unchanged} on unchanged lines not shown`);
  const internal = report.notices.filter((n) => n.reason === 'internal-error').length;
  if (internal) extra.push(c.red(`${internal} internal error${internal === 1 ? '' : 's'}`));
  return `${head} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info) in ${files}, ${seconds}s${extra.map((e) => `; ${e}`).join('')}`;
}

/** One line per skipped file (or internal error), for stderr. */
export function formatNotices(notices: readonly Notice[], cwd: string): string {
  return notices
    .map((n) => n.reason === 'internal-error'
      ? `shipshape: internal error on ${escapeControl(relativePath(cwd, n.file))}: ${escapeControl(n.message)}\n` // a rule or parser failed; the other rules still ran
      : n.reason === 'outside-workspace'
        ? `shipshape: ${escapeControl(relativePath(cwd, n.file))}: ${escapeControl(n.message)} (${n.reason})\n`
        : `shipshape: skipped ${escapeControl(relativePath(cwd, n.file))}: ${escapeControl(n.message)} (${n.reason})\n`)
    .join('');
}
