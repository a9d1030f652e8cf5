import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { auditResult, readsModel, type AuditedFile, type AuditResult, type CollectedFiles } from '../engine/audit';
import type { SharedFact } from '../engine/fact-store';
import type { Notice } from '../core/finding';
import type { ConfigOptions } from './config-resolver';
import { crossPackageKinds, planTasks, SharedFacts, TaskQueue, type AuditTask } from './audit-schedule';

/** What an audit worker is started with: it loads the engine once, then audits batches until told it is done. */
export interface WorkerRequest {
  roots: readonly string[];
  opts: ConfigOptions;
  cwd: string;
  /** Post `{ progress: file }` after each file (a progress bar is shown). */
  progress?: boolean;
  /** Return what each file's analysis read (the cache needs it): see `AuditOptions.dependencies`. */
  dependencies?: boolean;
  /** Fact kinds (ids) to build from every file audited from the start: those other packages' readers ask ({@link crossPackageKinds}). */
  kinds: string[];
  /** The audit reads the service model: keep each Go file's model facts and send them back (see `AuditOptions.modelFacts`). */
  modelFacts: boolean;
}

/**
 * Main thread -> worker: the next task (one or more whole directories: audit
 * them, or only compute their model facts) with the facts other workers
 * computed of what it reads and this worker was not sent yet; or the end.
 */
export type WorkerCommand = { batch: string[]; mode: AuditTask['mode']; facts: SharedFact[]; kinds: string[] } | { done: true };

/**
 * Worker -> main thread: ready (engine loaded), a task's results in bulk
 * (findings, every fact the worker computed meanwhile, how many Go files it
 * parsed, the fact kinds its rules asked so far), a file done, or a failure.
 */
export type WorkerResponse = { ready: true } | { analyses: AuditedFile[]; notices: Notice[]; facts: SharedFact[]; goParses: string[]; kinds: string[] } | { error: string } | { progress: string };

/** Below this many files per worker, starting workers (each loads the WASM runtime) costs more than it saves. */
const MIN_FILES_PER_WORKER = 25;

/** Files per batch, roughly: small directories travel together, a large package alone. */
const BATCH_FILES = 64;

export function shouldUseWorkers(collected: CollectedFiles, jobs: number): boolean {
  return jobs > 1 && collected.files.length >= MIN_FILES_PER_WORKER * 2;
}

/**
 * Batches of whole directories (a Go package, a manifest folder: the facts a
 * file's siblings read are computed by the worker that audits them; the
 * caller batches Go files apart from the others), largest
 * first so the last batches are small and workers finish together; small
 * directories are packed together up to {@link BATCH_FILES} files.
 */
export function packageBatches(files: readonly string[], sizeOf: (file: string) => number, batchFiles = BATCH_FILES): string[][] {
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
    if (g.files.length >= batchFiles) {
      batches.push(g.files);
      continue;
    }
    if (open.length + g.files.length > batchFiles) {
      batches.push(open);
      open = [];
    }
    open.push(...g.files);
  }
  if (open.length > 0) batches.push(open);
  return batches;
}

function workerFile(): { file: string; eval?: boolean } {
  const bundled = path.join(__dirname, 'audit-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  // From sources (tests, bench under tsx): tsx's require hook compiles the TypeScript entry (an `--import tsx` in the worker's execArgv does not reach its main script in Node 20).
  return { file: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'audit-worker.ts'))});`, eval: true };
}

/** Runs one worker: hands it tasks from the shared queue as it asks (with the facts they read), collects its results. */
function runWorker(request: WorkerRequest, run: SharedRun, index: number): Promise<WorkerAnswer> {
  const { file, eval: isCode } = workerFile();
  const answer: WorkerAnswer = { analyses: [], notices: [], goParses: [], times: { ready: 0, waited: 0, end: 0 } };
  const t0 = performance.now();
  let waitSince = 0;
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: request, eval: isCode });
    let settled = false;
    let current: AuditTask | undefined;
    // One worker failing ends the others too: a worker waiting for the failed one's facts would wait forever.
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      reject(e);
      for (const stop of run.stops.splice(0)) stop();
    };
    run.stops.push(() => {
      settled = true;
      void worker.terminate();
    });
    const next = (): void => {
      if (settled) return;
      const task = run.queue.take();
      if (task === 'wait') {
        // Another worker computes facts this one's next task reads: asked again when a task finishes.
        waitSince ||= performance.now();
        run.waiting.push(next);
        return;
      }
      if (waitSince) answer.times.waited += performance.now() - waitSince;
      waitSince = 0;
      current = task;
      const command: WorkerCommand = task ? { batch: [...task.files], mode: task.mode, facts: run.facts.newFor(index, task.reads), kinds: [...run.kinds] } : { done: true };
      worker.postMessage(command);
      if (!task) {
        answer.times.end = performance.now() - t0;
        settled = true;
        resolve(answer);
      }
    };
    worker.on('message', (msg: WorkerResponse) => {
      if ('progress' in msg) { run.onFile(msg.progress); return; }
      if (settled) return;
      if ('ready' in msg) {
        answer.times.ready = performance.now() - t0;
        if (run.startTogether && ++run.ready < run.workers) {
          run.waiting.push(next);
          return;
        }
        if (run.startTogether) {
          for (const wake of run.waiting.splice(0)) wake();
        }
      }
      if ('error' in msg) {
        fail(new Error(`audit worker failed: ${msg.error}`));
        return;
      }
      if ('analyses' in msg) {
        answer.analyses.push(...msg.analyses);
        answer.notices.push(...msg.notices);
        answer.goParses.push(...msg.goParses);
        run.facts.add(index, msg.facts);
        for (const k of msg.kinds) run.kinds.add(k);
        if (current) run.queue.finished(current);
        current = undefined;
        for (const wake of run.waiting.splice(0)) wake();
      }
      next();
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      fail(new Error(`audit worker exited with code ${code} before answering`));
    });
  });
}

interface WorkerAnswer {
  analyses: AuditedFile[];
  notices: Notice[];
  goParses: string[];
  /** Milliseconds from its start: engine loaded, waiting for another's facts, last task done (the debug line). */
  times: { ready: number; waited: number; end: number };
}

/** What the workers of one audit share on the main thread. */
interface SharedRun {
  queue: TaskQueue;
  facts: SharedFacts;
  /** Fact kinds (ids) any worker's rules asked so far. */
  kinds: Set<string>;
  /** Ends each worker still running (one failed). */
  stops: (() => void)[];
  /** Workers waiting for a task's facts, woken when any task finishes. */
  waiting: (() => void)[];
  onFile: (file: string) => void;
  /** Hand out the first tasks only once every worker is ready (tests: a deterministic share of the first tasks). */
  startTogether: boolean;
  workers: number;
  ready: number;
}

/** The first bytes of a file (enough for a Go file's import block or a go.mod), undefined when unreadable. */
function readHead(file: string): string | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.toString('utf8', 0, n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** A parallel audit's result, with the Go files each worker parsed (each once across them, when facts flow as planned). */
export type ParallelAuditResult = AuditResult & { goParses: string[][] };

/**
 * Audits on `jobs` worker threads. Each starts once with the engine loaded and
 * takes tasks of whole directories from one queue as it finishes the last
 * (a slow or busy thread takes fewer), returning each task's findings and
 * the facts it computed in bulk; a task is sent the facts other workers
 * computed of the packages it reads (see {@link planTasks}). Results come
 * back in file order, as a single-threaded audit gives them.
 */
export async function auditInWorkers(
  collected: CollectedFiles,
  options: {
    jobs: number; roots: readonly string[]; opts: ConfigOptions; cwd: string; onProgress?: (done: number, total: number, file: string) => void; dependencies?: boolean;
    /** Files per batch (tests: 1 keeps every directory apart, as in a large tree). */
    batchFiles?: number;
    /** Tests: no task before every worker is ready, so that the first tasks go one to each worker. */
    startTogether?: boolean;
    /** Fact kinds (ids) every worker builds from its first file on, besides {@link crossPackageKinds}. */
    kinds?: readonly string[];
  },
): Promise<ParallelAuditResult> {
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
  const modelFiles = collected.files.filter(readsModel);
  const goFiles = collected.files.filter((f) => !readsModel(f));
  const tasks = planTasks(packageBatches(goFiles, sizeOf, options.batchFiles), packageBatches(modelFiles, sizeOf, options.batchFiles), readHead);
  let done = 0;
  const workers = Math.max(1, Math.min(options.jobs, tasks.length));
  const run: SharedRun = {
    queue: new TaskQueue(tasks), facts: new SharedFacts(), kinds: new Set(), stops: [], waiting: [], onFile: (file) => options.onProgress?.(++done, collected.files.length, file),
    startTogether: options.startTogether === true, workers, ready: 0,
  };
  const request: WorkerRequest = {
    roots: options.roots, opts: options.opts, cwd: options.cwd, progress: options.onProgress !== undefined, dependencies: options.dependencies,
    modelFacts: modelFiles.length > 0, kinds: [...crossPackageKinds(tasks), ...(options.kinds ?? [])],
  };
  const answers = await Promise.all(Array.from({ length: workers }, (_, i) => runWorker(request, run, i)));
  const order = new Map(collected.files.map((f, i) => [f, i]));
  const rank = (f: string): number => order.get(f) ?? -1;
  const analyses = answers.flatMap((a) => a.analyses).sort((a, b) => rank(a.path) - rank(b.path));
  const notices = [...collected.notices, ...answers.flatMap((a) => a.notices).sort((a, b) => rank(a.file) - rank(b.file))];
  const goParses = answers.map((a) => a.goParses);
  // A debug counter (bench, profiling): Go files parsed per worker against Go files audited, facts handed on.
  if (process.env.SHIPSHAPE_DEBUG_WORKERS) process.stderr.write(`workers: ${tasks.length} tasks, Go parses per worker ${goParses.map((p) => p.length).join(' + ')} (${new Set(goParses.flat()).size} distinct files) for ${goFiles.filter((f) => f.endsWith('.go')).length} Go files, ${run.facts.stats()}; ms ready/waited/done per worker ${answers.map((a) => [a.times.ready, a.times.waited, a.times.end].map((t) => t.toFixed(0)).join('/')).join(' ')}; main thread from start ${(performance.now() - started).toFixed(0)}\n`);
  return { ...auditResult(analyses, notices, collected.missing, false, started), goParses };
}
