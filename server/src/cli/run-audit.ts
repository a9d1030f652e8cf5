import * as fs from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { Engine } from '../engine/analyze';
import { auditFiles, collectFiles, type AuditResult, type CollectedFiles } from '../engine/audit';
import { ConfigError } from '../engine/config-file';
import { DiskFileSource } from '../engine/disk';
import type { SourceText } from '../core/source-text';
import type { AnyRule } from '../engine/rule';
import { makeResolver } from './config-resolver';
import { auditInWorkers, shouldUseWorkers } from './parallel-audit';
import { relativePath } from './report';
import { formatNotices } from './format/text';
import { isHumanFormat, UsageError, writeOutputs } from './outputs';
import { runFixes } from './run-fix';
import { changedInPatch, changedSinceRev, type ChangedLines } from './baseline/changed-lines';
import { NO_PROGRESS, terminalProgress, type Progress } from './progress';
import { auditStdin } from './run-stdin';
import { auditRoot, finish, makeReport } from './audit-finish';
import type { AuditCommandOptions, Io } from './audit-options';

export type { OutputFormat } from './outputs';
export type { AuditCommandOptions, Io } from './audit-options';

/**
 * `shipshape audit`: returns the exit code — 0 clean, 1 findings at or above
 * --fail-on, 2 usage, config or internal error, or nothing audited because
 * every file was skipped as unreadable (docs/cli.md, "Exit codes").
 */
export async function runAudit(rules: readonly AnyRule[], givenPaths: readonly string[], opts: AuditCommandOptions, io: Io): Promise<number> {
  try {
    return await audit(rules, givenPaths, opts, io);
  } catch (e) {
    if (e instanceof ConfigError) return reportConfigError(e, io);
    if (e instanceof UsageError) {
      io.stderr(`shipshape: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function audit(rules: readonly AnyRule[], givenPaths: readonly string[], opts: AuditCommandOptions, io: Io): Promise<number> {
  const started = performance.now();
  if (opts.stdinFilename !== undefined) return auditStdin(rules, opts.stdinFilename, opts, io, started);
  const paths = (givenPaths.length ? givenPaths : ['.']).map((p) => path.resolve(io.cwd, p));
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    for (const m of missing) io.stderr(`shipshape: no such file or directory: ${relativePath(io.cwd, m)}\n`);
    return 2;
  }
  const roots = paths.map((p) => auditRoot(io.cwd, p));
  const resolver = makeResolver(rules, roots, opts, io.cwd);
  const collected = collectFiles(paths, resolver, { gitignore: opts.ignore, cwd: io.cwd });
  const changed = changedLinesFor(opts, io.cwd);
  if (collected.files.length === 0) {
    const code = nothingToAudit(collected, givenPaths, opts, io);
    // CI still gets its reports (an empty SARIF or JUnit file says the audit ran and found nothing).
    writeOutputs(opts.outputs, makeReport(rules, io.cwd, 0, [], new Map(), [], performance.now() - started, resolver), { cwd: io.cwd, color: io.color, quiet: opts.quiet, stdout: io.stdout });
    return code;
  }
  const engine = await Engine.create(rules, new DiskFileSource(resolver.maxFileSize));
  try {
    if (opts.fix || opts.fixDryRun) {
      const fixed = runFixes(engine, collected, { roots, config: resolver, paths, dryRun: opts.fixDryRun, cwd: io.cwd, stderr: io.stderr });
      if (opts.fixDryRun) {
        const report = makeReport(rules, io.cwd, fixed.filesAudited, fixed.remaining, fixed.sources, fixed.notices, performance.now() - started, resolver);
        return finish(report, opts, io, { changed, dryRunDiff: fixed.diff });
      }
    }
    const progress = progressFor(opts, io);
    const onProgress = progress === NO_PROGRESS ? undefined : (d: number, t: number, f: string): void => progress.update(d, t, f);
    let result: AuditResult;
    try {
      const jobs = opts.jobs ?? availableParallelism();
      result = shouldUseWorkers(collected, jobs)
        ? await auditInWorkers(collected, { jobs, roots, opts, cwd: io.cwd, onProgress })
        : auditFiles(engine, collected, { roots, config: resolver, onProgress });
    } finally {
      progress.finish();
    }
    const sources = new Map<string, SourceText>(result.analyses.map((a) => [a.path, a.source]));
    const report = makeReport(rules, io.cwd, result.files.length, result.findings, sources, result.notices, performance.now() - started, resolver);
    return finish(report, opts, io, { changed });
  } finally {
    engine.dispose();
  }
}

/** No file to read: excluded by choice (exit 0, a notice), only unsupported files named (exit 2), or an empty tree (exit 0). */
function nothingToAudit(collected: CollectedFiles, givenPaths: readonly string[], opts: AuditCommandOptions, io: Io): number {
  const unsupported = collected.notices.filter((n) => n.reason === 'unsupported');
  const excluded = collected.notices.filter((n) => n.reason === 'excluded');
  if (!opts.quiet || unsupported.length) io.stderr(formatNotices(opts.quiet ? unsupported : collected.notices, io.cwd));
  if (unsupported.length) {
    io.stderr('shipshape: nothing to audit: no file named is a Go file, Dockerfile or YAML file\n');
    return 2;
  }
  if (!opts.quiet) {
    io.stderr(excluded.length
      ? 'shipshape: nothing to audit: every file named is excluded (by the configuration, .gitignore or a skipped folder), by choice\n'
      : `shipshape: no files to audit (no Go, Dockerfile or YAML files under ${givenPaths.join(', ') || '.'})\n`);
  }
  return 0;
}

function changedLinesFor(opts: AuditCommandOptions, cwd: string): ChangedLines | undefined {
  if (opts.newFromRev !== undefined) return changedSinceRev(cwd, opts.newFromRev);
  if (opts.newFromPatch !== undefined) return changedInPatch(cwd, opts.newFromPatch);
  return undefined;
}

/** A bar on a terminal's stderr, for human formats on stdout only: never in pipes, machine formats or --quiet. */
function progressFor(opts: AuditCommandOptions, io: Io): Progress {
  const stdoutFormats = opts.outputs.filter((o) => o.path === undefined);
  if (!io.stderrIsTTY || opts.quiet || !stdoutFormats.every((o) => isHumanFormat(o.format))) return NO_PROGRESS;
  return terminalProgress(io.stderr, io.cwd, io.columns ?? 80);
}

function reportConfigError(e: ConfigError, io: Io): number {
  for (const p of e.problems) io.stderr(`${relativePath(io.cwd, p.file)}:${p.line}:${p.column}: error: ${p.message}\n`);
  io.stderr(`shipshape: invalid configuration (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}); nothing audited\n`);
  return 2;
}

