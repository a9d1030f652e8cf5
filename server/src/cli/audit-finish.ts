import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigResolver } from '../engine/config/config';
import type { Finding, Notice } from '../core/finding';
import type { SourceText } from '../core/source-text';
import type { AnyRule } from '../engine/rule';
import { packageInfo } from '../host-shared/rule-docs';
import { isAtOrAbove, locateFindings, relativePath, skippedFiles, type Report } from './report';
import { formatNotices, summaryLine } from './format/text';
import { writeOutputs, writeText } from './outputs';
import { applyBaseline, readBaseline, writeBaseline } from './baseline/baseline-file';
import { onlyChanged, type ChangedLines } from './baseline/changed-lines';
import type { AuditCommandOptions, Io } from './audit-options';

/**
 * Everything after the analysis, shared with `--stdin`: baseline and
 * new-code filters, `--write-baseline`, the reports, notices (internal
 * errors even with --quiet) and the exit code.
 */
export function finish(report: Report, opts: AuditCommandOptions, io: Io, extra: { changed?: ChangedLines; dryRunDiff?: string }): number {
  if (opts.writeBaseline) {
    const file = path.resolve(io.cwd, opts.writeBaseline);
    const n = writeBaseline(file, report.findings);
    if (!opts.quiet) io.stderr(`shipshape: wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${relativePath(io.cwd, file)}\n`);
  }
  if (opts.baseline) {
    const entries = readBaseline(path.resolve(io.cwd, opts.baseline), opts.baseline);
    const match = applyBaseline(report.findings, entries);
    report.findings = match.fresh;
    report.hidden = { ...report.hidden, baseline: match.known, fixedSinceBaseline: match.fixed };
  }
  if (extra.changed) {
    const before = report.findings.length;
    report.findings = onlyChanged(report.findings, extra.changed);
    report.hidden = { ...report.hidden, unchanged: before - report.findings.length };
  }
  if (opts.quiet) report.findings = report.findings.filter((f) => isShownWhenQuiet(f.finding, opts));
  const internal = report.notices.filter((n) => n.reason === 'internal-error');
  io.stderr(formatNotices(opts.quiet ? internal : report.notices, io.cwd));
  const stdoutFormat = opts.outputs.find((o) => o.path === undefined)?.format;
  if (extra.dryRunDiff !== undefined) {
    // The diff is the dry run's text output; machine formats carry it (JSON: `diff`) or report what would remain.
    const dryOutputs = opts.outputs.filter((o) => o.format !== 'text');
    for (const o of opts.outputs.filter((x) => x.format === 'text')) writeText(o.path, extra.dryRunDiff, io);
    writeOutputs(dryOutputs, { ...report, diff: extra.dryRunDiff }, { cwd: io.cwd, color: io.color, quiet: opts.quiet, stdout: io.stdout });
    if (!opts.quiet) io.stderr(`after fixing: ${summaryLine(report)}\n`);
  } else {
    writeOutputs(opts.outputs, report, { cwd: io.cwd, color: io.color, quiet: opts.quiet, stdout: io.stdout });
    // Text ends with the summary; with every report in files, or compact lines on stdout, it goes to stderr.
    if (!opts.quiet && (stdoutFormat === undefined || stdoutFormat === 'compact')) io.stderr(`${summaryLine(report)}\n`);
  }
  if (internal.length) {
    io.stderr(`shipshape: ${internal.length} internal error${internal.length === 1 ? '' : 's'}: the files above were not fully analysed; exit 2\n`);
    return 2;
  }
  const skipped = skippedFiles(report.notices);
  if (report.filesAudited === 0 && skipped.length > 0) {
    io.stderr(`shipshape: nothing audited: ${skipped.length === 1 ? 'the only file was' : `all ${skipped.length} files were`} skipped (too large, binary or unreadable); exit 2\n`);
    return 2;
  }
  return report.findings.some((f) => isAtOrAbove(f.finding.severity, opts.failOn)) ? 1 : 0;
}

/** With --quiet, only the findings that fail the run are printed (errors with --fail-on none). */
export function isShownWhenQuiet(finding: Finding, opts: Pick<AuditCommandOptions, 'failOn'>): boolean {
  return isAtOrAbove(finding.severity, opts.failOn === 'none' ? 'error' : opts.failOn);
}

/**
 * The findings the report is made of: with --quiet, those {@link finish}
 * would print, so the others are never located (their files never read
 * again); all of them when a baseline is read or written (it matches every
 * finding).
 */
export function reportedFindings(findings: Finding[], opts: AuditCommandOptions): Finding[] {
  return opts.quiet && opts.baseline === undefined && opts.writeBaseline === undefined ? findings.filter((f) => isShownWhenQuiet(f, opts)) : findings;
}

/** Files that mark a folder as a project's top when there is no repository. */
const PROJECT_FILES = ['.shipshape.yaml', '.shipshape.yml', 'go.mod', 'go.work', 'Dockerfile', 'skaffold.yaml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml', 'Makefile'];

export function makeReport(
  rules: readonly AnyRule[], cwd: string, filesAudited: number, findings: Finding[], sources: ReadonlyMap<string, SourceText>,
  notices: Notice[], durationMs: number, resolver: ConfigResolver,
): Report {
  return { tool: packageInfo(), cwd, rules, filesAudited, findings: locateFindings(cwd, findings, sources, resolver.maxFileSize), notices, durationMs };
}

/**
 * Config lookup and workspace lookups (go.mod, build contexts, the service
 * model's walk) stop at the audit root: the enclosing repository (the
 * nearest folder above the path holding `.git`); without one, the highest
 * folder between the path and the working directory that holds a project
 * file (`.shipshape.yaml`, go.mod, a Dockerfile, skaffold or compose file,
 * a Makefile); else the path itself. So a repository's top-level
 * `.shipshape.yaml` applies to `shipshape audit services/api` and to
 * `cd services/api && shipshape audit`, while `cd ~ && shipshape audit
 * src/app` (no repository) never walks the whole home folder.
 */
export function auditRoot(cwd: string, abs: string): string {
  const start = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  const rel = path.relative(cwd, start);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return start;
  let root = start;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (PROJECT_FILES.some((name) => fs.existsSync(path.join(dir, name)))) root = dir;
    if (dir === cwd || path.dirname(dir) === dir) break;
  }
  return root;
}

