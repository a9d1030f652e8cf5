import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Confinement to the audited roots (CLI paths, workspace folders): a path is
 * inside when it lies lexically under a root AND its real path (symlinks
 * resolved) lies under that root's real path. Symlinks are followed only
 * while they stay inside; a path that does not exist is judged by its
 * nearest existing ancestor. Real paths are cached per instance: make one per
 * analysis or walk.
 */
export class Confinement {
  private readonly realRoots: string[];
  private readonly lexicalRoots: string[];
  private readonly realCache = new Map<string, string | undefined>();

  constructor(roots: readonly string[]) {
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
    const abs = path.resolve(p);
    if (!this.lexicalRoots.some((r) => isInside(abs, r)) && !this.realRoots.some((r) => isInside(abs, r))) return false;
    const real = this.realPathOf(abs);
    return real !== undefined && this.realRoots.some((r) => isInside(real, r));
  }

  /** The real path of `p`, or of its nearest existing ancestor joined with the rest; undefined on a loop. */
  realPathOf(p: string): string | undefined {
    if (this.realCache.has(p)) return this.realCache.get(p);
    let real: string | undefined;
    try {
      real = fs.realpathSync.native(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = path.dirname(p);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && parent !== p) {
        const up = this.realPathOf(parent);
        real = up === undefined ? undefined : path.join(up, path.basename(p));
      }
    }
    this.realCache.set(p, real);
    return real;
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
