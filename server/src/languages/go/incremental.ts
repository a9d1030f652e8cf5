import type { Tree } from 'web-tree-sitter';
import type { DocumentChange } from '../../core/adapter';
import type { Span } from '../../core/finding';

/** Rows and the start of the last row of `text` between `from` and `to` (rows broken at `\n` only, as tree-sitter counts them). */
function rowsIn(text: string, from: number, to: number): { rows: number; lastRowStart: number } {
  let rows = 0;
  let lastRowStart = from;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
    rows++;
    lastRowStart = i + 1;
  }
  return { rows, lastRowStart };
}

/**
 * Tells `tree` about one change of `before` (then re-parse with the tree to
 * reuse unchanged parts). Points are tree-sitter's own (row, column in UTF-16
 * units, rows broken at `\n` only): the parser's coordinate system, used only
 * to tell it about an edit; LSP positions come from SourceText alone. The text
 * before the change is scanned once, the rest only over the change.
 */
export function editTree(tree: Tree, before: string, change: DocumentChange): string {
  const after = before.slice(0, change.start) + change.text + before.slice(change.end);
  const newEnd = change.start + change.text.length;
  const head = rowsIn(before, 0, change.start);
  const startPosition = { row: head.rows, column: change.start - head.lastRowStart };
  const removed = rowsIn(before, change.start, change.end);
  const added = rowsIn(change.text, 0, change.text.length);
  tree.edit({
    startIndex: change.start,
    oldEndIndex: change.end,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: removed.rows === 0 ? { row: head.rows, column: startPosition.column + change.end - change.start } : { row: head.rows + removed.rows, column: change.end - removed.lastRowStart },
    newEndPosition: added.rows === 0 ? { row: head.rows, column: startPosition.column + change.text.length } : { row: head.rows + added.rows, column: change.text.length - added.lastRowStart },
  });
  return after;
}

/** The part of the new text that `changes` (sequential) rewrote: their union, in the coordinates after the last. */
export function changedSpan(changes: readonly DocumentChange[]): Span | undefined {
  let span: Span | undefined;
  for (const c of changes) {
    const delta = c.text.length - (c.end - c.start);
    const newEnd = c.start + c.text.length;
    if (!span) span = { start: c.start, end: newEnd };
    else {
      const start = span.start <= c.start ? span.start : span.start >= c.end ? span.start + delta : c.start;
      const end = span.end >= c.end ? span.end + delta : span.end <= c.start ? span.end : newEnd;
      span = { start: Math.min(start, c.start), end: Math.max(end, newEnd) };
    }
  }
  return span;
}

/** One child of the root, as a cursor reads it. */
interface TopChild {
  start: number;
  end: number;
  /** It holds an error or a missing node, or the edit touched it. */
  dirty: boolean;
  /** A named, non-comment child: a declaration or statement that can anchor a slice. */
  anchor: boolean;
}

/**
 * Does `tree`, an incremental re-parse of `text` that holds syntax errors,
 * equal what a fresh parse of `text` gives? Error recovery may shape an
 * edited region differently when the parser reuses the old tree's subtrees,
 * and findings must not depend on the edit history; a fresh parse of the
 * whole file costs a parse per keystroke, though, and only the top-level
 * children holding an error (or touched by the edit) can differ. Each run of
 * such children is re-parsed from scratch on its own, as a slice of the text
 * that starts and ends with a clean declaration (an anchor: the parser is in
 * the same state after a top-level declaration, in the slice or in the
 * file), and compared node by node (type, field, range, missing) with the
 * tree. True when every run agrees; false sends the caller to a fresh parse
 * (also when the runs cover most of the file, where that costs no more).
 */
export function agreesWithFreshParse(tree: Tree, text: string, changed: Span | undefined, parse: (text: string) => Tree): boolean {
  const children = topChildren(tree, changed);
  let checked = 0;
  for (let i = 0; i < children.length; i++) {
    if (!children[i].dirty) continue;
    // Widen the run to a clean anchor on each side (or the file's ends), over comments and terminators.
    let first = i - 1;
    while (first >= 0 && !(children[first].anchor && !children[first].dirty)) first--;
    let last = i;
    while (last + 1 < children.length && !(children[last + 1].anchor && !children[last + 1].dirty)) last++;
    if (last + 1 < children.length) last++;
    // The anchor's terminator and whatever follows until the next child: the slice ends where the next child starts.
    while (last + 1 < children.length && !children[last + 1].anchor && !children[last + 1].dirty) last++;
    const start = first < 0 ? 0 : children[first].start;
    const end = last + 1 < children.length ? children[last + 1].start : text.length;
    checked += end - start;
    if (checked * 2 > text.length) return false;
    const fresh = parse(text.slice(start, end));
    try {
      if (!sameChildren(tree, fresh, start, end)) return false;
    } finally {
      fresh.delete();
    }
    i = last;
  }
  return true;
}

function topChildren(tree: Tree, changed: Span | undefined): TopChild[] {
  const out: TopChild[] = [];
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const named = cursor.nodeIsNamed;
      const type = cursor.nodeType;
      const touched = changed !== undefined && start <= changed.end && end >= changed.start;
      const broken = cursor.nodeIsMissing || type === 'ERROR' || (named && cursor.currentNode.hasError);
      out.push({ start, end, dirty: touched || broken, anchor: named && type !== 'comment' });
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return out;
}

/** Do the root children of `tree` within [start, end) equal, node for node, those of `fresh` (a parse of that slice)? */
function sameChildren(tree: Tree, fresh: Tree, start: number, end: number): boolean {
  const a = tree.walk();
  const b = fresh.walk();
  try {
    if (!a.gotoFirstChild()) return false;
    while (a.startIndex < start) if (!a.gotoNextSibling()) return false;
    if (!b.gotoFirstChild()) return a.startIndex >= end;
    for (;;) {
      // Pre-order, in lockstep: the same node, then the same first child, else the same next sibling up the parents.
      if (a.nodeTypeId !== b.nodeTypeId || a.startIndex !== b.startIndex + start || a.endIndex !== b.endIndex + start
        || a.currentFieldId !== b.currentFieldId || a.nodeIsMissing !== b.nodeIsMissing) return false;
      const down = a.gotoFirstChild();
      if (down !== b.gotoFirstChild()) return false;
      if (down) continue;
      for (;;) {
        if (b.currentDepth === 0) return a.currentDepth === 0;
        if (b.currentDepth === 1) {
          // A root child: the slice's next one, or the end of the slice in both.
          const moreB = b.gotoNextSibling();
          const moreA = a.gotoNextSibling() && a.startIndex < end;
          if (moreA !== moreB) return false;
          if (!moreB) return true;
          break;
        }
        const next = a.gotoNextSibling();
        if (next !== b.gotoNextSibling()) return false;
        if (next) break;
        a.gotoParent();
        b.gotoParent();
      }
    }
  } finally {
    a.delete();
    b.delete();
  }
}
