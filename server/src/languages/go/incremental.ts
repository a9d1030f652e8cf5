import type { Tree } from 'web-tree-sitter';
import type { DocumentChange } from '../../core/adapter';

/**
 * Tree-sitter's own point (row, column in UTF-16 units, rows broken at `\n`
 * only) of an offset. This is the parser's coordinate system, used only to
 * tell it about an edit; LSP positions come from SourceText alone.
 */
function parserPoint(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Tells `tree` about one change of `before` (then re-parse with the tree to reuse unchanged parts). */
export function editTree(tree: Tree, before: string, change: DocumentChange): string {
  const after = before.slice(0, change.start) + change.text + before.slice(change.end);
  const newEnd = change.start + change.text.length;
  tree.edit({
    startIndex: change.start,
    oldEndIndex: change.end,
    newEndIndex: newEnd,
    startPosition: parserPoint(before, change.start),
    oldEndPosition: parserPoint(before, change.end),
    newEndPosition: parserPoint(after, newEnd),
  });
  return after;
}

