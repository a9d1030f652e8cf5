import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { auditResult, type AuditedFile, type AuditResult, type CollectedFiles } from '../engine/audit';
import type { Notice } from '../core/finding';
import type { ConfigOptions } from './config-resolver';

/** What an audit worker is asked to do. */
export interface WorkerRequest {
  files: string[];
  roots: readonly string[];
  opts: ConfigOptions;
  cwd: string;
  /** Post `{ progress: file }` after each file (a progress bar is shown). */
  progress?: boolean;
}

export type WorkerResponse = { analyses: AuditedFile[]; notices: Notice[] } | { error: string } | { progress: string };

/** Below this many files per worker, starting workers (each loads the WASM runtime) costs more than it saves. */
const MIN_FILES_PER_WORKER = 25;

export function shouldUseWorkers(collected: CollectedFiles, jobs: number): boolean {
  return jobs > 1 && collected.files.length >= MIN_FILES_PER_WORKER * 2;
}

/**
 * Splits files into `jobs` shards of similar size, keeping each directory
 * (a Go package) in one shard so its facts are computed once (longest-processing-time first).
 */
export function shardFiles(files: readonly string[], jobs: number, sizeOf: (file: string) => number): string[][] {
  const byDir = new Map<string, { files: string[]; size: number }>();
  for (const f of files) {
    const dir = path.dirname(f);
    const g = byDir.get(dir) ?? { files: [], size: 0 };
    g.files.push(f);
    g.size += sizeOf(f);
    byDir.set(dir, g);
  }
  const groups = [...byDir.values()].sort((a, b) => b.size - a.size || a.files[0].localeCompare(b.files[0]));
  const shards = Array.from({ length: Math.max(1, jobs) }, () => ({ files: [] as string[], size: 0 }));
  for (const g of groups) {
    const lightest = shards.reduce((min, s) => (s.size < min.size ? s : min), shards[0]);
    lightest.files.push(...g.files);
    lightest.size += g.size;
  }
  return shards.map((s) => s.files).filter((s) => s.length > 0);
}

function workerFile(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'audit-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  // From sources (tests, bench under tsx): run the TypeScript entry through tsx.
  return { file: path.join(__dirname, 'audit-worker.ts'), execArgv: ['--import', 'tsx'] };
}

function runWorker(request: WorkerRequest, onFile: (file: string) => void): Promise<{ analyses: AuditedFile[]; notices: Notice[] }> {
  const { file, execArgv } = workerFile();
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: request, execArgv });
    let settled = false;
    worker.on('message', (msg: WorkerResponse) => {
      if ('progress' in msg) { onFile(msg.progress); return; }
      if (settled) return;
      settled = true;
      if ('error' in msg) reject(new Error(`audit worker failed: ${msg.error}`));
      else resolve(msg);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`audit worker exited with code ${code} before answering`));
    });
  });
}

/** Audits on `jobs` worker threads; results come back in file order, as a single-threaded audit gives them. */
export async function auditInWorkers(
  collected: CollectedFiles,
  options: { jobs: number; roots: readonly string[]; opts: ConfigOptions; cwd: string; onProgress?: (done: number, total: number, file: string) => void },
): Promise<AuditResult> {
  const started = performance.now();
  const sizeOf = (f: string): number => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  };
  const shards = shardFiles(collected.files, options.jobs, sizeOf);
  let done = 0;
  const onFile = (file: string): void => options.onProgress?.(++done, collected.files.length, file);
  const answers = await Promise.all(shards.map((files) => runWorker({ files, roots: options.roots, opts: options.opts, cwd: options.cwd, progress: options.onProgress !== undefined }, onFile)));
  const order = new Map(collected.files.map((f, i) => [f, i]));
  const rank = (f: string): number => order.get(f) ?? -1;
  const analyses = answers.flatMap((a) => a.analyses).sort((a, b) => rank(a.path) - rank(b.path));
  const notices = [...collected.notices, ...answers.flatMap((a) => a.notices).sort((a, b) => rank(a.file) - rank(b.file))];
  return auditResult(analyses, notices, collected.missing, false, started);
}
