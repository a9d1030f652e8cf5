import type { Node } from 'web-tree-sitter';

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
