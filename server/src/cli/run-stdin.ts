import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { goEngineOptions } from '../host-shared/go-env';
import { DiskFileSource } from '../engine/disk';
import type { AnyRule } from '../engine/rule';
import { documentKindOf } from '../engine/languages';
import { makeResolver } from './config-resolver';
import { UsageError } from './outputs';
import { relativePath } from './report';
import { auditRoot, finish, makeReport } from './audit-finish';
import type { AuditCommandOptions, Io } from './audit-options';

/**
 * `--stdin --stdin-filename PATH` (editors' format-on-save hooks, ESLint's
 * `--stdin`): the text on stdin is audited as if it were PATH — its config,
 * excludes and workspace (go.mod, build context) — and reported under PATH.
 */
export async function auditStdin(rules: readonly AnyRule[], filename: string, opts: AuditCommandOptions, io: Io, started: number): Promise<number> {
  if (!io.readStdin) throw new UsageError('--stdin: no standard input to read');
  if (opts.fix || opts.fixDryRun) throw new UsageError('--fix and --fix-dry-run work on files, not with --stdin');
  const file = path.resolve(io.cwd, filename);
  const shown = relativePath(io.cwd, file);
  if (documentKindOf(file) === undefined) throw new UsageError(`--stdin-filename ${filename}: not a Go file, Dockerfile or YAML file, so nothing to audit`);
  const roots = [auditRoot(io.cwd, file)];
  const resolver = makeResolver(rules, roots, opts, io.cwd);
  const text = await io.readStdin();
  if (resolver.isExcluded(file)) {
    if (!opts.quiet) io.stderr(`shipshape: skipped ${shown}: matches an exclude glob of the configuration (excluded)\n`);
    return 0;
  }
  const engine = await Engine.create(rules, new DiskFileSource(resolver.maxFileSize), goEngineOptions(true));
  try {
    const analysis = engine.analyze({ path: file, text }, { config: resolver.forFile(file), roots });
    const report = makeReport(rules, io.cwd, analysis.kind === undefined ? 0 : 1, analysis.findings, new Map([[file, analysis.source]]), [...analysis.notices], performance.now() - started, resolver);
    return finish(report, opts, io, {});
  } finally {
    engine.dispose();
  }
}
