import type { Node } from 'web-tree-sitter';
import { getHeapStatistics } from 'node:v8';

/**
 * Limits that keep every file's analysis bounded. Nesting: tree-sitter's
 * query cursor slows super-linearly past a few thousand levels (50,000 nested
 * composite literals took 85 s) and recursive rule helpers would overflow the
 * stack, while real Go code nests a few dozen levels. A file nested deeper is
 * skipped with a notice naming the cause.
 */
export const MAX_GO_NESTING = 2000;

/** The deepest bracket nesting of a text, a linear upper bound of its syntax tree's depth worth checking. */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/**
 * {@link bracketDepth} of `text`, or an upper bound of it no greater than
 * `limit`: from the previous version's bound when one change made it (an
 * opening bracket typed or a closing one erased deepens what follows by one
 * level at most; nothing else deepens anything), so that typing does not scan
 * the whole text.
 */
export function bracketDepthAfter(text: string, previous: { analysis: { source: { text: string }; nestingBound?: number }; changes: readonly { start: number; end: number; text: string }[] } | undefined, limit: number): number {
  const bound = previous?.analysis.nestingBound;
  if (bound !== undefined && previous?.changes.length === 1) {
    const c = previous.changes[0];
    const grown = bound + countOf(c.text, OPENING) + countOf(previous.analysis.source.text.slice(c.start, c.end), CLOSING);
    if (grown <= limit) return grown;
  }
  return bracketDepth(text);
}

const OPENING = /[([{]/g;
const CLOSING = /[)\]}]/g;

function countOf(text: string, re: RegExp): number {
  return text.length === 0 ? 0 : (text.match(re)?.length ?? 0);
}

/** The depth of a syntax tree, walked with a cursor (iterative: any depth is safe); stops once past `limit`. */
export function treeDepthOver(root: Node, limit: number): boolean {
  const cursor = root.walk();
  try {
    let depth = 0;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        if (++depth > limit) return true;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return false;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The hard per-file time cap when the configuration sets none (`maxFileTime`, milliseconds). */
export const DEFAULT_MAX_FILE_TIME_MS = 20_000;
/** The largest `maxFileTime` accepted: ten minutes. */
export const MAX_FILE_TIME_CAP_MS = 600_000;
/** Time every file gets, then more in proportion to its size, up to the hard cap. */
const BASE_TIME_MS = 5_000;
const TIME_PER_KB_MS = 10;
/** JavaScript heap an analysis may add: a base, then in proportion to the text's size, up to a hard cap. */
const BASE_HEAP_BYTES = 256 * 1024 * 1024;
const HEAP_PER_CHAR = 200;
const MAX_HEAP_BYTES = 1536 * 1024 * 1024;
const HEAP_CHECK_MS = 50;
/** Wall time after which an analysis starts reading the process's CPU time (see `FileBudget.cpuMark`). */
const CPU_READ_AFTER_MS = 1_000;

export interface BudgetOverrun {
  cause: 'time' | 'memory';
  message: string;
}

/**
 * The time and memory one file's analysis may take, in proportion to its size
 * with a hard cap: the engine checks it between steps (after parsing, after
 * each rule) and skips the file with an `over-budget` notice naming the cause
 * and the step. A step itself is not interrupted: the O(n log n) bound of
 * each step (docs/security.md) is what keeps one step short.
 */
export class FileBudget {
  private readonly started = performance.now();
  /**
   * The process's CPU time and the wall time when it was first read: only once
   * the wall clock passes {@link CPU_READ_AFTER_MS}. Most files finish sooner,
   * and a read costs microseconds per file (about 3 % of an audit worker, where
   * it is dearer than on the main thread).
   */
  private cpuMark: { cpu: NodeJS.CpuUsage; wall: number } | undefined;
  /** When the mark is taken: {@link CPU_READ_AFTER_MS}, or half the budget when that is shorter. */
  private readonly cpuMarkAfter: number;
  private readonly heapAtStart = heapUsed();
  /** The heap is read at most every {@link HEAP_CHECK_MS}: reading it costs microseconds, and most files take less. */
  private nextHeapCheck = HEAP_CHECK_MS;
  readonly timeMs: number;
  readonly heapBytes: number;

  constructor(textLength: number, maxFileTimeMs: number = DEFAULT_MAX_FILE_TIME_MS) {
    this.timeMs = Math.min(maxFileTimeMs, BASE_TIME_MS + (TIME_PER_KB_MS * textLength) / 1024);
    this.heapBytes = Math.min(MAX_HEAP_BYTES, BASE_HEAP_BYTES + HEAP_PER_CHAR * textLength);
    this.cpuMarkAfter = Math.min(CPU_READ_AFTER_MS, this.timeMs / 2);
  }

  /**
   * Time spent so far, in milliseconds: the smaller of wall time and the
   * process's CPU time. Wall time alone would skip files on a loaded machine
   * (other processes' turns count); CPU time alone counts every worker
   * thread of a parallel audit. Each over-counts only in its own case.
   */
  elapsed(): number {
    const wall = performance.now() - this.started;
    if (wall <= this.cpuMarkAfter) return wall;
    if (!this.cpuMark) {
      this.cpuMark = { cpu: process.cpuUsage(), wall };
      return wall;
    }
    // Before the mark, CPU time is taken as the wall time: never less than it was, so no file runs over its budget.
    const cpu = process.cpuUsage(this.cpuMark.cpu);
    return Math.min(wall, this.cpuMark.wall + (cpu.user + cpu.system) / 1000);
  }

  /** Whether the analysis has gone past its budget, after the step called `step`. */
  overrun(step: string): BudgetOverrun | undefined {
    const wall = performance.now() - this.started;
    // Cheap first test: CPU time is read only once the wall clock is past the mark's time.
    const ms = wall > this.cpuMarkAfter ? this.elapsed() : wall;
    if (ms > this.timeMs) {
      return { cause: 'time', message: `analysis took over ${Math.round(this.timeMs)} ms, this file's time budget (by its size; maxFileTime caps it), at ${step}: not analysed` };
    }
    if (ms < this.nextHeapCheck) return undefined;
    this.nextHeapCheck = ms + HEAP_CHECK_MS;
    const grown = heapUsed() - this.heapAtStart;
    if (grown > this.heapBytes) {
      return { cause: 'memory', message: `analysis grew the heap by ${mib(grown)} MiB, over this file's memory budget of ${mib(this.heapBytes)} MiB, at ${step}: not analysed` };
    }
    return undefined;
  }
}

/** V8's heap in use: `getHeapStatistics` reads it without the /proc read `process.memoryUsage()` adds for the RSS (0.5 % of a server's CPU on the keystroke bench). */
function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
