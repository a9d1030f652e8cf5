import { resolveFixes } from '../../core/finding';
import { countBySeverity, relativePath, skippedFiles, type Report } from '../report';

/**
 * The stable JSON report (docs/cli.md documents every field; `version` changes
 * only when a field changes meaning or disappears — new fields may be added).
 */
export interface JsonReport {
  version: 1;
  tool: { name: 'shipshape'; version: string };
  summary: { files: number; findings: number; error: number; warning: number; info: number; durationMs: number; skipped: number; internalErrors: number };
  findings: JsonFinding[];
  notices: { file: string; reason: string; message: string }[];
  /** `--fix-dry-run`: the unified diff of the safe fixes. */
  diff?: string;
}

export interface JsonPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (as editors count). */
  column: number;
  /** 0-based UTF-16 offset into the file. */
  offset: number;
}

export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Relative to the working directory, `/`-separated. */
  file: string;
  start: JsonPosition;
  end: JsonPosition;
  fixes: { title: string; safe: boolean; preferred: boolean }[];
  /** The numbers behind the message (a struct's size, a memory limit), named as the rule's docs list them; absent when the rule attaches none. */
  figures?: Readonly<Record<string, number | string>>;
}

export function buildJsonReport(report: Report): JsonReport {
  const counts = countBySeverity(report.findings);
  return {
    version: 1,
    tool: { name: 'shipshape', version: report.tool.version },
    summary: {
      files: report.filesAudited, findings: report.findings.length, ...counts, durationMs: Math.round(report.durationMs),
      skipped: skippedFiles(report.notices).length, internalErrors: report.notices.filter((n) => n.reason === 'internal-error').length,
    },
    findings: report.findings.map((f) => ({
      ruleId: f.finding.ruleId,
      severity: f.finding.severity,
      message: f.finding.message,
      file: f.relPath,
      start: { ...f.start, offset: f.finding.span.start },
      end: { ...f.end, offset: f.finding.span.end },
      fixes: resolveFixes(f.finding).map((x) => ({ title: x.title, safe: x.safe, preferred: x.preferred ?? false })),
      ...(f.finding.figures ? { figures: f.finding.figures } : {}),
    })),
    notices: report.notices.map((n) => ({ file: relativePath(report.cwd, n.file), reason: n.reason, message: n.message })),
    ...(report.diff !== undefined ? { diff: report.diff } : {}),
  };
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(buildJsonReport(report), null, 2)}\n`;
}
