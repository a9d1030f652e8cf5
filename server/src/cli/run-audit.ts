import * as fs from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { Engine } from '../engine/analyze';
import { auditFiles, collectFiles, type CollectedFiles } from '../engine/audit';
import type { ConfigResolver } from '../engine/config';
import { ConfigError } from '../engine/config-file';
import { makeResolver } from './config-resolver';
import { auditInWorkers, shouldUseWorkers } from './parallel-audit';
import { DiskFileSource } from '../engine/disk';
import type { Notice } from '../engine/finding';
import type { SourceText } from '../engine/source-text';
import type { AnyRule } from '../engine/rule';
import { packageInfo } from '../rule-docs';
import { isAtOrAbove, locateFindings, relativePath, type FailOn, type Report } from './report';
import { formatNotices, formatText, summaryLine } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { runFixes } from './run-fix';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface AuditCommandOptions {
  format: OutputFormat;
  output?: string;
  failOn: FailOn;
  quiet: boolean;
  config?: string;
  inlineConfig: boolean;
  fix: boolean;
  fixDryRun: boolean;
  maxFileSize?: number;
  jobs?: number;
}

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour text output (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
}

/** `shipshape audit`: returns the exit code (0 clean, 1 findings at or above --fail-on, 2 usage/config error). */
export async function runAudit(rules: readonly AnyRule[], givenPaths: readonly string[], opts: AuditCommandOptions, io: Io): Promise<number> {
  const started = performance.now();
  const paths = (givenPaths.length ? givenPaths : ['.']).map((p) => path.resolve(io.cwd, p));
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    for (const m of missing) io.stderr(`shipshape: no such file or directory: ${relativePath(io.cwd, m)}\n`);
    return 2;
  }
  const roots = paths.map((p) => auditRoot(io.cwd, p));
  let resolver: ConfigResolver;
  let collected: CollectedFiles;
  try {
    resolver = makeResolver(rules, roots, opts, io.cwd);
    collected = collectFiles(paths, resolver);
  } catch (e) {
    if (e instanceof ConfigError) return reportConfigError(e, io);
    throw e;
  }
  if (collected.files.length === 0 && !opts.quiet) io.stderr(`shipshape: no files to audit (no Go, Dockerfile or YAML files under ${givenPaths.join(', ') || '.'})\n`);
  const engine = await Engine.create(rules, new DiskFileSource(resolver.maxFileSize));
  try {
    if (opts.fix || opts.fixDryRun) {
      const fixed = runFixes(engine, collected, { roots, config: resolver, paths, dryRun: opts.fixDryRun, cwd: io.cwd, stderr: io.stderr });
      if (opts.fixDryRun) {
        writeOutput(fixed.diff, opts, io);
        const report = makeReport(rules, io.cwd, fixed.filesAudited, fixed.remaining, fixed.sources, fixed.notices, performance.now() - started, resolver);
        if (!opts.quiet) io.stderr(`${formatNotices(report.notices, io.cwd)}after fixing: ${summaryLine(report)}\n`);
        return exitCode(report, opts.failOn);
      }
    }
    let result;
    try {
      const jobs = opts.jobs ?? availableParallelism();
      result = shouldUseWorkers(collected, jobs)
        ? await auditInWorkers(collected, { jobs, roots, opts, cwd: io.cwd })
        : auditFiles(engine, collected, { roots, config: resolver });
    } catch (e) {
      if (e instanceof ConfigError) return reportConfigError(e, io);
      throw e;
    }
    const sources = new Map<string, SourceText>(result.analyses.map((a) => [a.path, a.source]));
    const report = makeReport(rules, io.cwd, result.files.length, result.findings, sources, result.notices, performance.now() - started, resolver);
    if (opts.quiet) report.findings = report.findings.filter((f) => isAtOrAbove(f.finding.severity, opts.failOn === 'none' ? 'error' : opts.failOn));
    const text = opts.format === 'json' ? formatJson(report) : opts.format === 'sarif' ? formatSarif(report) : formatText(report, { color: io.color && !opts.output, summary: !opts.quiet });
    if (!opts.quiet) io.stderr(formatNotices(report.notices, io.cwd));
    writeOutput(text, opts, io);
    return exitCode(report, opts.failOn);
  } finally {
    engine.dispose();
  }
}

/**
 * Config lookup and workspace lookups (go.mod, build contexts) stop at the
 * audit root: the enclosing repository (the nearest folder above the path
 * holding `.git`), else the working directory when the path lies inside it,
 * else the path itself. So a repository's top-level `.shipshape.yaml`
 * applies to `shipshape audit services/api` and to `cd services/api && shipshape audit`.
 */
function auditRoot(cwd: string, abs: string): string {
  const start = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  const rel = path.relative(cwd, abs);
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : start;
}

function reportConfigError(e: ConfigError, io: Io): number {
  for (const p of e.problems) io.stderr(`${relativePath(io.cwd, p.file)}:${p.line}:${p.column}: error: ${p.message}\n`);
  io.stderr(`shipshape: invalid configuration (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}); nothing audited\n`);
  return 2;
}

function makeReport(
  rules: readonly AnyRule[], cwd: string, filesAudited: number, findings: Report['findings'][number]['finding'][], sources: ReadonlyMap<string, SourceText>,
  notices: Notice[], durationMs: number, resolver: ConfigResolver,
): Report {
  return { tool: packageInfo(), cwd, rules, filesAudited, findings: locateFindings(cwd, findings, sources, resolver.maxFileSize), notices, durationMs };
}

function exitCode(report: Report, failOn: FailOn): number {
  return report.findings.some((f) => isAtOrAbove(f.finding.severity, failOn)) ? 1 : 0;
}

function writeOutput(text: string, opts: AuditCommandOptions, io: Io): void {
  if (opts.output) {
    const file = path.resolve(io.cwd, opts.output);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  else io.stdout(text);
}
