import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Confinement to the audited roots (CLI paths, workspace folders): a path is
 * inside when it lies lexically under a root AND its real path (symlinks
 * resolved) lies under that root's real path. Symlinks are followed only
 * while they stay inside; a path that does not exist is judged by its
 * nearest existing ancestor. Real paths and answers are cached per instance
 * (make one per analysis or walk), or in the {@link ConfinementCache} the
 * caller passes while the disk cannot change (an audit's stable file source):
 * then siblings read by every file of a folder are judged once, not once per
 * analysis.
 */
/**
 * What confinements may share while the disk cannot change: real paths (of
 * any root set) and the answers given for each root set.
 */
export class ConfinementCache {
  readonly realPaths = new Map<string, string | undefined>();
  private readonly answers = new Map<string, Map<string, boolean>>();

  answersFor(roots: readonly string[]): Map<string, boolean> {
    const key = roots.join('\u0000');
    let answers = this.answers.get(key);
    if (!answers) {
      answers = new Map();
      this.answers.set(key, answers);
    }
    return answers;
  }
}

export class Confinement {
  private readonly realRoots: string[];
  private readonly lexicalRoots: string[];
  private readonly realCache: Map<string, string | undefined>;
  /** Answers of {@link contains} by path as asked: rules ask about the same package files many times per analysis. */
  private readonly answers: Map<string, boolean>;

  constructor(roots: readonly string[], shared?: ConfinementCache) {
    this.realCache = shared?.realPaths ?? new Map<string, string | undefined>();
    this.answers = shared?.answersFor(roots) ?? new Map<string, boolean>();
    this.lexicalRoots = roots.map((r) => path.resolve(r));
    this.realRoots = this.lexicalRoots.map((r) => realOr(r));
  }

  /** True when there is nothing to confine to (a single file opened without a folder). */
  get isOpen(): boolean {
    return this.lexicalRoots.length === 0;
  }

  /** True when `p` and its real path both lie inside one of the roots (or there are no roots). */
  contains(p: string): boolean {
    if (this.isOpen) return true;
    let answer = this.answers.get(p);
    if (answer === undefined) {
      answer = this.judge(p);
      this.answers.set(p, answer);
    }
    return answer;
  }

  private judge(p: string): boolean {
    const abs = path.resolve(p);
    if (!this.lexicalRoots.some((r) => isInside(abs, r)) && !this.realRoots.some((r) => isInside(abs, r))) return false;
    const real = this.realPathOf(abs);
    return real !== undefined && this.realRoots.some((r) => isInside(real, r));
  }

  /**
   * The real path of `p` (a path that does not exist: its nearest existing
   * ancestor's, joined with the rest); undefined on a loop or an unreadable
   * link. Built from the parent's cached real path with one `lstat` per
   * component, so a 1,000-level tree costs linear time, not a full
   * `realpath` of every deep path.
   */
  realPathOf(p: string): string | undefined {
    const abs = path.resolve(p);
    const chain: string[] = [];
    for (let d = abs; !this.realCache.has(d); d = path.dirname(d)) {
      chain.push(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of chain.reverse()) this.realCache.set(d, this.resolveOne(d));
    return this.realCache.get(abs);
  }

  /** One component, its parent already resolved (or `d` is the top). */
  private resolveOne(d: string): string | undefined {
    const parent = path.dirname(d);
    if (parent === d) return realOr(d);
    const realParent = this.realCache.get(parent);
    if (realParent === undefined) return undefined;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(d);
    } catch {
      return path.join(realParent, path.basename(d)); // does not exist (yet): judged by where it would be
    }
    if (!st.isSymbolicLink()) return path.join(realParent, path.basename(d));
    try {
      return fs.realpathSync.native(d);
    } catch {
      return undefined; // a loop or a dangling link
    }
  }
}

function realOr(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
