import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { auditResult, readsServiceModel, type AuditedFile, type AuditResult, type CollectedFiles } from '../engine/audit';
import type { SharedFact } from '../engine/fact-store';
import type { Notice } from '../core/finding';
import { documentKindOf } from '../engine/languages';
import type { ConfigOptions } from './config-resolver';

/** What an audit worker is started with: it loads the engine once, then audits batches until told it is done. */
export interface WorkerRequest {
  roots: readonly string[];
  opts: ConfigOptions;
  cwd: string;
  /** Post `{ progress: file }` after each file (a progress bar is shown). */
  progress?: boolean;
  /** Return what each file's analysis read (the cache needs it): see `AuditOptions.dependencies`. */
  dependencies?: boolean;
  /** The audit reads the service model: keep each Go file's model facts and send them back (see `AuditOptions.modelFacts`). */
  modelFacts: boolean;
}

/**
 * Main thread -> worker: the next batch (one or more whole directories) with,
 * for a batch that reads the service model, the Go facts other workers
 * computed since this one's last such batch; or the end.
 */
export type WorkerCommand = { batch: string[]; facts?: SharedFact[] } | { done: true };

/** Worker -> main thread: ready for a batch (engine loaded), a batch's results and its Go files' model facts in bulk, a file done, or a failure. */
export type WorkerResponse = { ready: true } | { analyses: AuditedFile[]; notices: Notice[]; facts: SharedFact[] } | { error: string } | { progress: string };

/** Below this many files per worker, starting workers (each loads the WASM runtime) costs more than it saves. */
const MIN_FILES_PER_WORKER = 25;

/** Files per batch, roughly: small directories travel together, a large package alone. */
const BATCH_FILES = 64;

export function shouldUseWorkers(collected: CollectedFiles, jobs: number): boolean {
  return jobs > 1 && collected.files.length >= MIN_FILES_PER_WORKER * 2;
}

/**
 * Batches of whole directories (a Go package, a manifest folder: the facts a
 * file's siblings read are computed by the worker that audits them), largest
 * first so the last batches are small and workers finish together; small
 * directories are packed together up to {@link BATCH_FILES} files.
 */
export function packageBatches(files: readonly string[], sizeOf: (file: string) => number): string[][] {
  const byDir = new Map<string, { files: string[]; size: number }>();
  for (const f of files) {
    const dir = path.dirname(f);
    const g = byDir.get(dir) ?? { files: [], size: 0 };
    g.files.push(f);
    g.size += sizeOf(f);
    byDir.set(dir, g);
  }
  const groups = [...byDir.values()].sort((a, b) => b.size - a.size || a.files[0].localeCompare(b.files[0]));
  const batches: string[][] = [];
  let open: string[] = [];
  for (const g of groups) {
    if (g.files.length >= BATCH_FILES) {
      batches.push(g.files);
      continue;
    }
    if (open.length + g.files.length > BATCH_FILES) {
      batches.push(open);
      open = [];
    }
    open.push(...g.files);
  }
  if (open.length > 0) batches.push(open);
  return batches;
}

function workerFile(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'audit-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  // From sources (tests, bench under tsx): run the TypeScript entry through tsx.
  return { file: path.join(__dirname, 'audit-worker.ts'), execArgv: ['--import', 'tsx'] };
}

/**
 * Who takes which batch: Go packages first, then the batches holding
 * Dockerfiles and manifests, which read the service model. A model is built
 * from every Go file's facts: by then the workers have computed most of them
 * from their own trees and sent them back, and the main thread hands them on
 * with the model batches, so a worker builds its model without parsing the Go
 * files again (only those of packages still in flight elsewhere).
 */
export class BatchQueues {
  private readonly model: string[][] = [];
  private readonly go: string[][] = [];

  constructor(batches: readonly string[][]) {
    for (const files of batches) {
      if (files.some((f) => documentKindOf(f) !== 'go')) this.model.push(files);
      else this.go.push(files);
    }
  }

  get length(): number {
    return this.model.length + this.go.length;
  }

  /** The next batch, and whether it reads the service model; undefined when all are taken. */
  take(): { files: string[]; readsModel: boolean } | undefined {
    const go = this.go.shift();
    if (go) return { files: go, readsModel: false };
    const model = this.model.shift();
    return model ? { files: model, readsModel: true } : undefined;
  }
}

/** Facts workers computed, in arrival order: each worker is sent those it has not had yet, with its next model batch. */
class SharedFacts {
  private readonly all: SharedFact[] = [];
  private readonly sent = new Map<number, number>();

  add(facts: readonly SharedFact[]): void {
    this.all.push(...facts);
  }

  newFor(worker: number): SharedFact[] {
    const from = this.sent.get(worker) ?? 0;
    this.sent.set(worker, this.all.length);
    return this.all.slice(from);
  }
}

/** Runs one worker: hands it batches from the shared queues as it asks, collects its results. */
function runWorker(request: WorkerRequest, queue: BatchQueues, shared: SharedFacts, index: number, onFile: (file: string) => void): Promise<{ analyses: AuditedFile[]; notices: Notice[] }> {
  const { file, execArgv } = workerFile();
  const analyses: AuditedFile[] = [];
  const notices: Notice[] = [];
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: request, execArgv });
    let settled = false;
    const next = (): void => {
      const batch = queue.take();
      const command: WorkerCommand = !batch ? { done: true } : batch.readsModel ? { batch: batch.files, facts: shared.newFor(index) } : { batch: batch.files };
      worker.postMessage(command);
      if (!batch) {
        settled = true;
        resolve({ analyses, notices });
      }
    };
    worker.on('message', (msg: WorkerResponse) => {
      if ('progress' in msg) { onFile(msg.progress); return; }
      if (settled) return;
      if ('error' in msg) {
        settled = true;
        reject(new Error(`audit worker failed: ${msg.error}`));
        void worker.terminate();
        return;
      }
      if ('analyses' in msg) {
        analyses.push(...msg.analyses);
        notices.push(...msg.notices);
        shared.add(msg.facts);
      }
      next();
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

/**
 * Audits on `jobs` worker threads. Each starts once with the engine loaded and
 * takes batches of whole directories from one queue as it finishes the last
 * (a slow or busy thread takes fewer), returning each batch's findings in bulk;
 * results come back in file order, as a single-threaded audit gives them.
 */
export async function auditInWorkers(
  collected: CollectedFiles,
  options: { jobs: number; roots: readonly string[]; opts: ConfigOptions; cwd: string; onProgress?: (done: number, total: number, file: string) => void; dependencies?: boolean },
): Promise<AuditResult> {
  const started = performance.now();
  const sizes = new Map<string, number>();
  const sizeOf = (f: string): number => {
    let size = sizes.get(f);
    if (size === undefined) {
      try {
        size = fs.statSync(f).size;
      } catch {
        size = 0;
      }
      sizes.set(f, size);
    }
    return size;
  };
  const queue = new BatchQueues(packageBatches(collected.files, sizeOf));
  const shared = new SharedFacts();
  let done = 0;
  const onFile = (file: string): void => options.onProgress?.(++done, collected.files.length, file);
  const workers = Math.max(1, Math.min(options.jobs, queue.length));
  const request: WorkerRequest = {
    roots: options.roots, opts: options.opts, cwd: options.cwd, progress: options.onProgress !== undefined, dependencies: options.dependencies,
    modelFacts: readsServiceModel(collected.files),
  };
  const answers = await Promise.all(Array.from({ length: workers }, (_, i) => runWorker(request, queue, shared, i, onFile)));
  const order = new Map(collected.files.map((f, i) => [f, i]));
  const rank = (f: string): number => order.get(f) ?? -1;
  const analyses = answers.flatMap((a) => a.analyses).sort((a, b) => rank(a.path) - rank(b.path));
  const notices = [...collected.notices, ...answers.flatMap((a) => a.notices).sort((a, b) => rank(a.file) - rank(b.file))];
  return auditResult(analyses, notices, collected.missing, false, started);
}
