import * as path from 'node:path';

/** Nearest file called `name` in `fromDir` or above it, never above the root holding `fromDir` (the deepest one), read with `readText`. */
export function findUpWithin(roots: readonly string[], fromDir: string, name: string, readText: (p: string) => string | undefined): string | undefined {
  const root = roots.filter((r) => isWithin(fromDir, r)).sort((a, b) => b.length - a.length).at(0);
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, name);
    if (readText(candidate) !== undefined) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || (root !== undefined && !isWithin(parent, root))) return undefined;
    dir = parent;
  }
}

/** True when `child` is `parent` or lies under it (lexically). */
export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
