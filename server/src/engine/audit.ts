import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectKind } from '../parsers/detect';
import { ALWAYS_SKIPPED_DIRS, type ConfigResolver } from './config';
import { readTextFile } from './disk';
import type { Engine, FileAnalysis } from './analyze';
import type { Finding, Notice } from './finding';

export interface CollectedFiles {
  files: string[];
  notices: Notice[];
  /** Paths given that do not exist. */
  missing: string[];
}

/**
 * Every Go, Dockerfile and YAML file under `paths`, sorted: skips `vendor/`,
 * `node_modules/`, `.git/`, excluded globs, and directories already seen
 * through a symlink (loops).
 */
export function collectFiles(paths: readonly string[], config: ConfigResolver): CollectedFiles {
  const files = new Set<string>();
  const notices: Notice[] = [];
  const missing: string[] = [];
  const seenDirs = new Set<string>();
  const walk = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      notices.push({ file: dir, reason: 'unreadable', message: `cannot list directory: ${String((e as NodeJS.ErrnoException).code ?? e)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || config.isExcluded(full)) continue;
        walk(full);
      } else if (isFile && detectKind(full) !== undefined && !config.isExcluded(full)) {
        files.add(full);
      }
    }
  };
  for (const given of paths) {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(given);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else files.add(abs);
  }
  return { files: [...files].sort(), notices, missing };
}

export interface AuditOptions {
  roots: readonly string[];
  config: ConfigResolver;
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
  /** Accumulates milliseconds per rule id (bench). */
  timings?: Map<string, number>;
}

export interface AuditResult {
  files: string[];
  analyses: FileAnalysis[];
  findings: Finding[];
  notices: Notice[];
  missing: string[];
  cancelled: boolean;
  durationMs: number;
}

/** Audits files one at a time; no tree outlives its file (facts stay in the engine's store). */
export function auditFiles(engine: Engine, collected: CollectedFiles, options: AuditOptions): AuditResult {
  const started = performance.now();
  const analyses: FileAnalysis[] = [];
  const notices = [...collected.notices];
  let cancelled = false;
  collected.files.forEach((file, i) => {
    if (cancelled || options.isCancelled?.()) {
      cancelled = true;
      return;
    }
    const read = readTextFile(file, options.config.maxFileSizeFor?.(file) ?? options.config.maxFileSize);
    if (read.text === undefined) {
      notices.push({ file, reason: read.reason === 'not-found' ? 'unreadable' : (read.reason ?? 'unreadable'), message: read.message ?? 'unreadable' });
    } else {
      const analysis = engine.analyze({ path: file, text: read.text }, { config: options.config.forFile(file), roots: options.roots, timings: options.timings });
      analyses.push(analysis);
      notices.push(...analysis.notices);
    }
    options.onProgress?.(i + 1, collected.files.length, file);
  });
  return auditResult(analyses, notices, collected.missing, cancelled, started);
}

/** An {@link AuditResult} from analyses in file order (one thread, or merged from workers). */
export function auditResult(analyses: FileAnalysis[], notices: Notice[], missing: string[], cancelled: boolean, started: number): AuditResult {
  return {
    files: analyses.filter((a) => a.kind !== undefined).map((a) => a.path),
    analyses,
    findings: analyses.flatMap((a) => a.findings),
    notices,
    missing,
    cancelled,
    durationMs: performance.now() - started,
  };
}
