import { diffChars, diffLines } from 'diff';
import type { TextEditData } from '../core/finding';

/**
 * The smallest edits (offsets into `before`) that turn `before` into `after`:
 * a line diff; a hunk that replaces as many lines as it removes is split line
 * by line, and each edit is trimmed to the characters that differ. Never one
 * whole-document replacement unless everything changed.
 */
export function minimalEdits(before: string, after: string): TextEditData[] {
  if (before === after) return [];
  const edits: TextEditData[] = [];
  let offset = 0;
  let hunk: { start: number; removed: string[]; added: string[] } | undefined;
  const flush = (): void => {
    if (!hunk) return;
    if (hunk.removed.length === hunk.added.length) {
      let at = hunk.start;
      hunk.removed.forEach((old, i) => {
        const next = hunk?.added[i] ?? '';
        if (old !== next) edits.push(...lineEdits(before, at, old, next));
        at += old.length;
      });
    } else {
      const end = hunk.start + hunk.removed.join('').length;
      edits.push(trimEdit(before, { start: hunk.start, end, newText: hunk.added.join('') }));
    }
    hunk = undefined;
  };
  for (const change of diffLines(before, after)) {
    if (!change.added && !change.removed) {
      flush();
      offset += change.value.length;
      continue;
    }
    hunk ??= { start: offset, removed: [], added: [] };
    const lines = change.value.split(/(?<=\r\n|\n|\r(?!\n))/);
    if (change.removed) {
      hunk.removed.push(...lines);
      offset += change.value.length;
    } else hunk.added.push(...lines);
  }
  flush();
  return edits;
}

/** Edits within one changed line: a character diff for ordinary lines, a trimmed replacement for huge ones. */
function lineEdits(before: string, at: number, old: string, next: string): TextEditData[] {
  if (old.length + next.length > 4000) return [trimEdit(before, { start: at, end: at + old.length, newText: next })];
  const out: TextEditData[] = [];
  let offset = at;
  let pending: TextEditData | undefined;
  for (const change of diffChars(old, next)) {
    if (!change.added && !change.removed) {
      if (pending) out.push(trimEdit(before, pending));
      pending = undefined;
      offset += change.value.length;
      continue;
    }
    pending ??= { start: offset, end: offset, newText: '' };
    if (change.removed) {
      offset += change.value.length;
      pending.end = offset;
    } else pending.newText += change.value;
  }
  if (pending) out.push(trimEdit(before, pending));
  return out;
}

/** Drops the common prefix and suffix of an edit's old and new text. */
function trimEdit(before: string, e: TextEditData): TextEditData {
  const old = before.slice(e.start, e.end);
  let p = 0;
  while (p < old.length && p < e.newText.length && old[p] === e.newText[p]) p++;
  let s = 0;
  while (s < old.length - p && s < e.newText.length - p && old[old.length - 1 - s] === e.newText[e.newText.length - 1 - s]) s++;
  // Never split a surrogate pair or a \r\n.
  while (p > 0 && isLowHalf(old, p)) p--;
  while (s > 0 && isLowHalf(old, old.length - s)) s--;
  return { start: e.start + p, end: e.end - s, newText: e.newText.slice(p, e.newText.length - s) };
}

function isLowHalf(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const prev = text.charCodeAt(i - 1);
  return (c >= 0xdc00 && c <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) || (c === 10 && prev === 13);
}
