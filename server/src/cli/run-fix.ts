import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Engine, FileAnalysis } from '../engine/analyze';
import type { CollectedFiles } from '../engine/audit';
import type { ConfigResolver } from '../engine/config';
import { readTextFile } from '../engine/disk';
import type { Finding, Notice } from '../engine/finding';
import { engineFixTarget, fixAll } from '../engine/fixes';
import { SourceText } from '../engine/source-text';
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
 * fix-all loop; files are written only when they did not change meanwhile,
 * and new files only inside the given directories.
 */
export function runFixes(engine: Engine, collected: CollectedFiles, opts: FixRunOptions): FixRunResult {
  const out: FixRunResult = { diff: '', remaining: [], sources: new Map(), notices: [...collected.notices], filesAudited: 0 };
  const planned = new Set<string>();
  const mayCreate = (file: string): boolean => !planned.has(file) && !fs.existsSync(file) && isInsideGivenDir(file, opts.paths);
  for (const file of collected.files) {
    const read = readTextFile(file, opts.config.maxFileSizeFor?.(file) ?? opts.config.maxFileSize);
    if (read.text === undefined) {
      out.notices.push({ file, reason: read.reason === 'not-found' ? 'unreadable' : (read.reason ?? 'unreadable'), message: read.message ?? 'unreadable' });
      continue;
    }
    let last: FileAnalysis | undefined;
    const target = engineFixTarget(engine, { path: file, text: read.text }, { config: opts.config.forFile(file), roots: opts.roots }, { mayCreate, onAnalysis: (a) => (last = a) });
    const result = fixAll(target);
    const rel = relativePath(opts.cwd, file);
    if (last?.kind !== undefined) out.filesAudited++;
    out.notices.push(...(last?.notices ?? []));
    out.remaining.push(...result.remaining);
    out.sources.set(file, new SourceText(result.text));
    if (result.dropped) opts.stderr(`shipshape: ${rel}: ${result.dropped}\n`);
    if (!result.changed) continue;
    for (const c of result.createFiles) planned.add(c.createFile);
    if (opts.dryRun) {
      if (result.text !== read.text) out.diff += createTwoFilesPatch(`a/${rel}`, `b/${rel}`, read.text, result.text, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
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
    fs.writeFileSync(file, result.text);
    for (const c of result.createFiles) {
      fs.writeFileSync(c.createFile, c.text, { flag: 'wx' });
      opts.stderr(`shipshape: created ${relativePath(opts.cwd, c.createFile)}\n`);
    }
    const titles = [...new Set(result.applied.map((a) => a.ruleId))].join(', ');
    opts.stderr(`shipshape: fixed ${result.applied.length} problem${result.applied.length === 1 ? '' : 's'} in ${rel} (${titles})\n`);
  }
  return out;
}

/** New files go only where the user pointed: inside a directory given on the command line. */
function isInsideGivenDir(file: string, paths: readonly string[]): boolean {
  return paths.some((p) => {
    const rel = path.relative(p, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && fs.statSync(p).isDirectory() && fs.existsSync(path.dirname(file));
  });
}
