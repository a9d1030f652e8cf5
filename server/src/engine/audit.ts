import type { ConfigResolver } from './config/config';
import { discoverFiles, type CollectedFiles, type DiscoveryOptions } from './discovery';
import { readTextFile } from './disk';
import type { Engine, FileAnalysis } from './analyze';
import type { Finding, Notice } from '../core/finding';

export type { CollectedFiles, DiscoveryOptions } from './discovery';

/** Every Go, Dockerfile and YAML file under `paths`, sorted (rules of the walk: discovery.ts). */
export function collectFiles(paths: readonly string[], config: ConfigResolver, options?: DiscoveryOptions): CollectedFiles {
  return discoverFiles(paths, config, options);
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
