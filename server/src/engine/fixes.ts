import { isCreateFile, type Edit, type Fix, type TextEditData } from './finding';

/** Text edits of `edits` that target `filePath` (edits without `file` target the finding's own file). */
export function editsForFile(edits: readonly Edit[], filePath: string, ownFile: string): TextEditData[] {
  return edits.filter((e): e is TextEditData => !isCreateFile(e) && (e.file ?? ownFile) === filePath);
}

/** Same range and text: two fixes adding the same import, say. Merged, as go/analysis merges identical edits. */
export function editsIdentical(a: TextEditData, b: TextEditData): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText && a.file === b.file;
}

export function editsOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  // Two insertions at the same point conflict too: their order would be ambiguous.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits against the original text (identical ones once); throws on overlap (a rule bug). */
export function applyEdits(text: string, edits: readonly TextEditData[]): string {
  const sorted = [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.newText < b.newText ? -1 : a.newText > b.newText ? 1 : 0))
    .filter((e, i, all) => i === 0 || !editsIdentical(all[i - 1], e));
  for (let i = 1; i < sorted.length; i++) {
    if (editsOverlap(sorted[i - 1], sorted[i])) {
      throw new Error(`overlapping edits at ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}`);
    }
  }
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end > text.length || e.start > e.end) throw new Error(`edit out of range: ${e.start}-${e.end}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Picks fixes whose edits do not overlap any already picked (first come, first
 * served, as ESLint and go/analysis do); the rest wait for the next pass.
 */
export function selectNonOverlapping(fixes: readonly { fix: Fix; file: string }[], filePath: string): { fix: Fix; file: string }[] {
  const taken: TextEditData[] = [];
  const picked: { fix: Fix; file: string }[] = [];
  for (const entry of fixes) {
    const mine = editsForFile(entry.fix.edits, filePath, entry.file);
    const selfOverlap = mine.some((e, i) => mine.some((o, j) => i < j && editsOverlap(e, o)));
    if (selfOverlap) continue;
    if (mine.some((e) => taken.some((t) => editsOverlap(e, t) && !editsIdentical(e, t)))) continue;
    taken.push(...mine);
    picked.push(entry);
  }
  return picked;
}
