import * as fs from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Engine } from '../engine/analyze';
import { goEngineOptions } from '../host-shared/go-env';
import { auditFiles, auditResult, collectFiles, type AuditedFile, type AuditResult, type CollectedFiles } from '../engine/audit';
import { AuditCache, cacheFileFor, cacheIdentity } from '../engine/audit-cache';
import { contentHash } from '../core/content-hash';
import { readTextFile } from '../engine/disk';
import type { ConfigResolver } from '../engine/config/config';
import { codeIdentity } from '../host-shared/rule-docs';
import { ConfigError } from '../engine/config/config-file';
import { DiskFileSource } from '../engine/disk';
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
import { auditRoot, finish, makeReport, reportedFindings } from './audit-finish';
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
  boundHeapGrowth();
  // Loaded only when a file is analysed on this thread: a run that the cache or the workers answer whole never loads it.
  let loaded: Engine | undefined;
  const source = new DiskFileSource(resolver.maxFileSize);
  const engine = async (): Promise<Engine> => (loaded ??= await Engine.create(rules, source, goEngineOptions(true)));
  try {
    if (opts.fix || opts.fixDryRun) {
      const fixed = runFixes(await engine(), collected, { roots, config: resolver, paths, dryRun: opts.fixDryRun, cwd: io.cwd, stderr: io.stderr });
      if (opts.fixDryRun) {
        const report = makeReport(rules, io.cwd, fixed.filesAudited, fixed.remaining, fixed.sources, fixed.notices, performance.now() - started, resolver);
        return finish(report, opts, io, { changed, dryRunDiff: fixed.diff });
      }
    }
    // Fixes written: from here on the audit reads the tree as it is now (each file stat'ed once, not once per read).
    source.freeze();
    const progress = progressFor(opts, io);
    const onProgress = progress === NO_PROGRESS ? undefined : (d: number, t: number, f: string): void => { progress.update(d, t, f); };
    let result: AuditResult;
    const cached = opts.cache ? openCache(rules, roots, opts, io) : undefined;
    try {
      const jobs = opts.jobs ?? availableParallelism();
      // Files whose findings the cache still vouches for are not analysed again; the rest go to the engine or the workers.
      const reuse = cached ? reusable(cached, collected, resolver) : { hits: [], toRun: collected };
      const fresh = reuse.toRun.files.length === 0
        ? auditResult([], [...reuse.toRun.notices], reuse.toRun.missing, false, performance.now())
        : shouldUseWorkers(reuse.toRun, jobs)
        ? await auditInWorkers(reuse.toRun, { jobs, roots, opts, cwd: io.cwd, onProgress, dependencies: cached !== undefined })
        // What each file read matters only to the cache.
        : auditFiles(await engine(), reuse.toRun, { roots, config: resolver, onProgress, dependencies: cached !== undefined });
      result = cached ? mergeCached(fresh, reuse.hits, collected, started) : fresh;
      if (cached) {
        for (const a of fresh.analyses) cached.store(a, resolver.forFile(a.path));
        saveCache(cached, io, opts);
      }
    } finally {
      progress.finish();
    }
    // The facts served the analyses: the report needs none of them.
    loaded?.facts.clear();
    // No text was kept: the report re-reads the files that have findings when it prints.
    const report = makeReport(rules, io.cwd, result.files.length, reportedFindings(result.findings, opts), new Map(), result.notices, performance.now() - started, resolver);
    return finish(report, opts, io, { changed });
  } finally {
    loaded?.dispose();
  }
}

/**
 * An audit allocates fast and keeps little (per-file facts and findings): most
 * of what it allocates dies with its file or package, and V8 lets the heap
 * grow to several times what survives before a full collection, so the peak
 * RSS of a large audit was mostly garbage (a 1M-line audit: about 130 MB live,
 * a 410 MB heap). Growing the heap by 30 % over what survived each full
 * collection (V8's `--heap-growing-percent`, read at every collection, so it
 * can be set now) trades a few more full collections for about a third less
 * peak memory; CPU time stayed within the noise on the bench. Left alone when
 * the user tunes the heap through NODE_OPTIONS.
 */
function boundHeapGrowth(): void {
  if (process.env.NODE_OPTIONS?.includes('heap') || process.execArgv.some((a) => a.includes('heap'))) return;
  setFlagsFromString('--heap-growing-percent=30');
}

/** The cache of this audit's roots, stamped with Shipshape's version and the rule set (a notice when an old one is ignored). */
function openCache(rules: readonly AnyRule[], roots: readonly string[], opts: AuditCommandOptions, io: Io): AuditCache {
  const identity = cacheIdentity(codeIdentity(), rules);
  const { cache, notice } = AuditCache.load(cacheFileFor(opts.cacheLocation && path.resolve(io.cwd, opts.cacheLocation), roots), identity);
  if (notice && !opts.quiet) io.stderr(`shipshape: ${notice}\n`);
  return cache;
}

/** Splits the files into those the cache answers for and those to analyse. */
function reusable(cache: AuditCache, collected: CollectedFiles, resolver: ConfigResolver): { hits: AuditedFile[]; toRun: CollectedFiles } {
  const hits: AuditedFile[] = [];
  const toRun: string[] = [];
  // Every file is hashed before any lookup: a lookup checks the files its entry read (a package's or folder's
  // siblings), and finds them known instead of reading each a second time.
  const hashes = collected.files.map((file) => {
    const read = readTextFile(file, resolver.maxFileSizeFor?.(file) ?? resolver.maxFileSize);
    const hash = read.text === undefined ? undefined : contentHash(read.text);
    if (hash !== undefined) cache.knownState(file, hash);
    return hash;
  });
  collected.files.forEach((file, i) => {
    const hash = hashes[i];
    const hit = hash === undefined ? undefined : cache.lookup(file, hash, resolver.forFile(file));
    if (hit) hits.push(hit);
    else toRun.push(file);
  });
  return { hits, toRun: { ...collected, files: toRun, notices: [...collected.notices] } };
}

/** Fresh and cached analyses in the order of the collected files, as one result. */
function mergeCached(fresh: AuditResult, hits: readonly AuditedFile[], collected: CollectedFiles, started: number): AuditResult {
  const byPath = new Map<string, AuditedFile>([...hits, ...fresh.analyses].map((a) => [a.path, a]));
  const analyses = collected.files.map((f) => byPath.get(f)).filter((a): a is AuditedFile => a !== undefined);
  const notices = [...fresh.notices, ...hits.flatMap((h) => h.notices)];
  return { ...auditResult(analyses, notices, fresh.missing, fresh.cancelled, started), durationMs: performance.now() - started };
}

function saveCache(cache: AuditCache, io: Io, opts: AuditCommandOptions): void {
  try {
    cache.save();
  } catch (e) {
    io.stderr(`shipshape: could not write the cache ${cache.file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return;
  }
  if (!opts.quiet) io.stderr(`shipshape: cache: ${cache.stats.reused} file(s) reused, ${cache.stats.analysed} analysed\n`);
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

