import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Engine, FileAnalysis } from '../engine/analyze';
import type { CollectedFiles } from '../engine/audit';
import type { ConfigResolver } from '../engine/config/config';
import { encodeLike, readTextFile, withLineEndingsOf } from '../engine/disk';
import { resolveFixes, type Finding, type Notice } from '../core/finding';
import { engineFixTarget, fixAll, safeFixOf } from '../engine/fixes';
import { SourceText } from '../core/source-text';
import { relativePath } from './report';

export interface FixRunOptions {
  roots: readonly string[];
  config: ConfigResolver;
  /** The paths given on the command line (absolute): nothing outside them is written. */
  paths: readonly string[];
  dryRun: boolean;
  cwd: string;
  stderr: (text: string) => void;
}

export interface FixRunResult {
  /** Unified diff of every change (dry run). */
  diff: string;
  /** Findings left after fixing (dry run: of the fixed texts in memory). */
  remaining: Finding[];
  sources: Map<string, SourceText>;
  notices: Notice[];
  filesAudited: number;
}

/**
 * `--fix` / `--fix-dry-run`: each file is fixed on its own with the engine's
 * fix-all loop; files are written only when they did not change meanwhile
 * and their real path (symlinks resolved) lies inside the given paths, new
 * files only inside the given directories. A rewrite keeps the file's UTF-8
 * byte order mark and line endings.
 */
export function runFixes(engine: Engine, collected: CollectedFiles, opts: FixRunOptions): FixRunResult {
  const out: FixRunResult = { diff: '', remaining: [], sources: new Map(), notices: [...collected.notices], filesAudited: 0 };
  const planned = new Set<string>();
  const roots = realRoots(opts.paths);
  const mayCreate = (file: string): boolean => !planned.has(file) && !fs.existsSync(file) && isInsideGivenDir(file, roots);
  for (const file of collected.files) {
    const read = readTextFile(file, opts.config.maxFileSizeFor?.(file) ?? opts.config.maxFileSize);
    if (read.text === undefined) {
      out.notices.push({ file, reason: read.reason === 'not-found' ? 'unreadable' : (read.reason ?? 'unreadable'), message: read.message ?? 'unreadable' });
      continue;
    }
    let last: FileAnalysis | undefined;
    const target = engineFixTarget(engine, { path: file, text: read.text }, { config: opts.config.forFile(file), roots: opts.roots }, { mayCreate, onAnalysis: (a) => (last = a) });
    const rel = relativePath(opts.cwd, file);
    const real = realPathOf(file);
    if (real === undefined || !roots.some((r) => isWithin(real, r.path, r.isDir))) {
      // A symlink out of the audited tree (or a file that vanished): audited, never written.
      const findings = target.analyze(read.text);
      if (last?.kind !== undefined) out.filesAudited++;
      out.notices.push(...(last?.notices ?? []));
      out.remaining.push(...findings);
      out.sources.set(file, new SourceText(read.text));
      if (findings.some((f) => f.file === file && safeFixOf(resolveFixes(f)) !== undefined)) {
        const where = real === undefined ? 'its real path cannot be resolved' : `its real path ${relativePath(opts.cwd, real)} lies outside the audited paths`;
        opts.stderr(`shipshape: ${rel}: skipped, not fixed: ${where}\n`);
      }
      continue;
    }
    const result = fixAll(target);
    if (last?.kind !== undefined) out.filesAudited++;
    out.notices.push(...(last?.notices ?? []));
    out.remaining.push(...result.remaining);
    out.sources.set(file, new SourceText(result.text));
    if (result.dropped) opts.stderr(`shipshape: ${rel}: ${result.dropped}\n`);
    if (!result.changed) continue;
    for (const c of result.createFiles) planned.add(c.createFile);
    if (opts.dryRun) {
      if (result.text !== read.text) out.diff += createTwoFilesPatch(`a/${rel}`, `b/${rel}`, read.text, withLineEndingsOf(result.text, read.text), undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
      for (const c of result.createFiles) {
        const crel = relativePath(opts.cwd, c.createFile);
        out.diff += createTwoFilesPatch('/dev/null', `b/${crel}`, '', c.text, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
      }
      continue;
    }
    // A file edited since it was read (an editor, a formatter) is left alone: the fixes were computed on the old text.
    if (readTextFile(file, Infinity).text !== read.text) {
      opts.stderr(`shipshape: ${rel} changed during the audit; not fixed\n`);
      continue;
    }
    fs.writeFileSync(file, encodeLike(result.text, { text: read.text, bom: read.bom }));
    for (const c of result.createFiles) {
      fs.writeFileSync(c.createFile, c.text, { flag: 'wx' });
      opts.stderr(`shipshape: created ${relativePath(opts.cwd, c.createFile)}\n`);
    }
    // Files analysed later read the service model: it catches up with what was just written.
    engine.filesChanged([file, ...result.createFiles.map((c) => c.createFile)]);
    const titles = [...new Set(result.applied.map((a) => a.ruleId))].join(', ');
    opts.stderr(`shipshape: fixed ${result.applied.length} problem${result.applied.length === 1 ? '' : 's'} in ${rel} (${titles})\n`);
  }
  return out;
}

interface RealRoot {
  path: string;
  isDir: boolean;
}

/**
 * The given paths with symlinks resolved: a directory's real path; for a file,
 * its real directory and its own name (a symlinked file named on the command
 * line is still written only if its target is that very path).
 */
function realRoots(paths: readonly string[]): RealRoot[] {
  const out: RealRoot[] = [];
  for (const p of paths) {
    try {
      if (fs.statSync(p).isDirectory()) out.push({ path: fs.realpathSync(p), isDir: true });
      else out.push({ path: path.join(fs.realpathSync(path.dirname(p)), path.basename(p)), isDir: false });
    } catch {
      // A path that vanished holds nothing to write.
    }
  }
  return out;
}

function realPathOf(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** `file` is `root` itself (a file root) or lies below it (a directory root). */
function isWithin(file: string, root: string, isDir: boolean): boolean {
  if (!isDir) return file === root;
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** New files go only where the user pointed: into an existing directory whose real path lies inside a directory given. */
function isInsideGivenDir(file: string, roots: readonly RealRoot[]): boolean {
  const dir = realPathOf(path.dirname(file));
  if (dir === undefined) return false;
  const real = path.join(dir, path.basename(file));
  return roots.some((r) => r.isDir && isWithin(real, r.path, true));
}
