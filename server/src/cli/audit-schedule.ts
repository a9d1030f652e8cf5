// Which audit worker does what, and when: the tasks of a parallel audit in an order where facts flow
// (a package after the packages it imports, the service model's readers after every file it reads),
// and the facts workers sent back, handed on to the workers that read them.
import * as path from 'node:path';
import { readsModel } from '../engine/audit';
import type { SharedFact } from '../engine/fact-store';
import { goModuleDirs, inTreeImports } from './go-import-scan';

/** A unit of work for one worker: whole directories of one kind of file. */
export interface AuditTask {
  readonly index: number;
  readonly files: readonly string[];
  /**
   * `audit`: analyse the files. `facts`: only compute the service model's
   * facts of these Dockerfiles and manifests (cheap: no rule runs), so that
   * every worker that builds the model imports them instead of parsing every
   * Dockerfile and manifest of the tree itself.
   */
  readonly mode: 'audit' | 'facts';
  /** The files' rules read the service model, which reads every file's model facts. */
  readonly readsModel: boolean;
  /** In-tree Go package directories the files import: the facts it is sent (undefined: all there are). */
  readonly reads: ReadonlySet<string> | undefined;
  /** Tasks that must be finished first (their facts sent back) for this one to parse no file another worker parses. */
  readonly after: readonly number[];
}

/**
 * The tasks of an audit: Go packages (each after the in-tree packages its
 * files import, as Go forbids import cycles: a worker finds their facts in
 * the shared store instead of parsing their files), then the model facts of
 * the Dockerfiles and manifests, then their audit, after everything (the
 * service model reads every Go file's facts and every Dockerfile's and
 * manifest's). Go files and the others never share a batch: a Go file in a
 * Dockerfile's batch would be audited after the model that reads its facts.
 */
export function planTasks(goBatches: readonly string[][], modelBatches: readonly string[][], readText: (file: string) => string | undefined): AuditTask[] {
  const tasks: AuditTask[] = [];
  const batchOfDir = new Map<string, number>();
  goBatches.forEach((files, i) => { for (const f of files) batchOfDir.set(path.dirname(f), i); });
  const modules = goModuleDirs(readText);
  for (const files of goBatches) {
    const index = tasks.length;
    const reads = new Set<string>();
    for (const f of files) for (const dir of inTreeImports(f, readText, modules)) if (batchOfDir.has(dir)) reads.add(dir);
    const after = [...new Set([...reads].map((d) => batchOfDir.get(d) ?? index))].filter((i) => i !== index).sort((a, b) => a - b);
    tasks.push({ index, files, mode: 'audit', readsModel: false, reads, after });
  }
  const goTasks = tasks.map((t) => t.index);
  const factTasks: number[] = [];
  // One worker builds the model reading the others' facts: a facts pass pays only when there are several.
  if (modelBatches.length > 1) {
    for (const files of modelBatches) {
      factTasks.push(tasks.length);
      tasks.push({ index: tasks.length, files, mode: 'facts', readsModel: false, reads: new Set(), after: [] });
    }
  }
  for (const files of modelBatches) {
    tasks.push({ index: tasks.length, files, mode: 'audit', readsModel: files.some(readsModel), reads: undefined, after: [...goTasks, ...factTasks] });
  }
  return tasks;
}

/**
 * The fact kinds rules read of other packages' files (`packageFactsAt`: the
 * foreign type model, module context makers, graceful-shutdown helpers),
 * by id. A package is audited before its importers, so a kind they ask that
 * its worker had not built would parse its files again: each worker builds
 * these from its first file on. The shutdown helpers are costly and read
 * only for a main package's in-tree callees: built only when some task
 * imports an in-tree package (a main package among them or not).
 */
export const CROSS_PACKAGE_KINDS = ['go/file-header', 'go/type-facts', 'go/fresh-context'] as const;
export const SHUTDOWN_KIND = 'go/shutdown-facts';

export function crossPackageKinds(tasks: readonly AuditTask[]): string[] {
  return [...CROSS_PACKAGE_KINDS, ...(tasks.some((t) => t.mode === 'audit' && t.after.length > 0 && !t.readsModel) ? [SHUTDOWN_KIND] : [])];
}

/**
 * Hands out tasks in plan order, each once its `after` tasks are done. A
 * worker that asks while only unfinished tasks stand in the way waits
 * (`'wait'`) rather than parse what another is parsing; when nothing is
 * under way either (a cycle: a package's external test imports a package
 * that imports it), the first task left is taken anyway: facts are keyed by
 * content, so an order that misses only costs a second parse.
 */
export class TaskQueue {
  private readonly pending: AuditTask[];
  private readonly done = new Set<number>();
  private running = 0;

  constructor(tasks: readonly AuditTask[]) {
    this.pending = [...tasks];
  }

  get length(): number {
    return this.pending.length;
  }

  take(): AuditTask | 'wait' | undefined {
    if (this.pending.length === 0) return undefined;
    let at = this.pending.findIndex((t) => t.after.every((i) => this.done.has(i)));
    if (at < 0) {
      if (this.running > 0) return 'wait';
      at = 0;
    }
    const [task] = this.pending.splice(at, 1);
    this.running++;
    return task;
  }

  finished(task: AuditTask): void {
    this.running--;
    this.done.add(task.index);
  }
}

/**
 * Facts the workers sent back, by directory and origin: a worker is sent
 * those of the directories its next task reads that other workers computed
 * and it has not been sent yet (never its own back).
 */
export class SharedFacts {
  private readonly groups: { origin: number; dir: string; facts: SharedFact[] }[] = [];
  private readonly sent = new Map<number, Set<number>>();

  add(origin: number, facts: readonly SharedFact[]): void {
    const byDir = new Map<string, SharedFact[]>();
    for (const f of facts) {
      const dir = path.dirname(f.path);
      const list = byDir.get(dir) ?? [];
      list.push(f);
      byDir.set(dir, list);
    }
    for (const [dir, list] of byDir) this.groups.push({ origin, dir, facts: list });
  }

  /** Facts received and handed on, for the debug line. */
  stats(): string {
    let received = 0;
    let bytes = 0;
    for (const g of this.groups) {
      received += g.facts.length;
      for (const f of g.facts) bytes += f.bytes.length;
    }
    let sent = 0;
    for (const s of this.sent.values()) for (const i of s) sent += this.groups[i]?.facts.length ?? 0;
    return `${received} facts received (${(bytes / 1e6).toFixed(1)} MB), ${sent} sent on`;
  }

  /** What `worker` needs for a task reading `dirs` (undefined: every directory). */
  newFor(worker: number, dirs: ReadonlySet<string> | undefined): SharedFact[] {
    let sent = this.sent.get(worker);
    if (!sent) {
      sent = new Set();
      this.sent.set(worker, sent);
    }
    const out: SharedFact[] = [];
    this.groups.forEach((g, i) => {
      if (g.origin === worker || sent.has(i) || (dirs && !dirs.has(g.dir))) return;
      sent.add(i);
      out.push(...g.facts);
    });
    return out;
  }
}
