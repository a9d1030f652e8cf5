import type { Edit, Finding, Fix } from '../core/finding';
import { isCreateFile } from '../core/finding';

import type { DocumentChange } from '../core/adapter';

/** One edit of a document, as editors send them: offsets into the text BEFORE this change. */
export type TextChange = DocumentChange;

export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}

/** Maps an offset of the old text through sequential changes; undefined when a change rewrote it. */
export function mapOffset(offset: number, changes: readonly TextChange[]): number | undefined {
  let o = offset;
  for (const c of changes) {
    if (o <= c.start) continue;
    if (o >= c.end) o += c.text.length - (c.end - c.start);
    else return undefined;
  }
  return o;
}

/** A finding (fixes resolved) moved through changes; undefined when any of its offsets was rewritten. */
export function shiftFinding(finding: Finding, changes: readonly TextChange[], ownFile: string): Finding | undefined {
  const start = mapOffset(finding.span.start, changes);
  const end = mapOffset(finding.span.end, changes);
  if (start === undefined || end === undefined || finding.file !== ownFile) return undefined;
  const fixes: Fix[] = [];
  for (const fix of finding.fixes as Fix[]) {
    const edits: Edit[] = [];
    for (const e of fix.edits) {
      if (isCreateFile(e) || (e.file !== undefined && e.file !== ownFile)) {
        edits.push(e);
        continue;
      }
      const s = mapOffset(e.start, changes);
      const t = mapOffset(e.end, changes);
      if (s === undefined || t === undefined) return undefined;
      edits.push({ ...e, start: s, end: t });
    }
    fixes.push({ ...fix, edits });
  }
  const related = finding.related?.map((r) => {
    if (r.file !== ownFile) return r;
    const s = mapOffset(r.span.start, changes);
    const t = mapOffset(r.span.end, changes);
    return s === undefined || t === undefined ? undefined : { ...r, span: { start: s, end: t } };
  });
  if (related?.some((r) => r === undefined)) return undefined;
  return { ...finding, span: { start, end }, fixes, related: related as Finding['related'] };
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

/** The identifier-like words of a text (Go identifiers, keywords, and words of comments and strings: a superset is safe). */
export function wordsOf(text: string): Set<string> {
  return new Set(text.match(WORD));
}

/**
 * The entries of split-by-name declaration keys that one declaration depends
 * on (see `NamedKey`), read from one version's maps: the names its words
 * name, then the names in those entries' values, to a fixpoint. Two versions
 * whose {@link NamedDependencies.keyOf} agree for a declaration of unchanged
 * text give it the same results.
 */
export class NamedDependencies {
  /** Entry names by each of their dotted parts. */
  private readonly byPart = new Map<string, string[]>();
  private readonly valueWords = new Map<string, Set<string>>();

  constructor(readonly named: ReadonlyMap<string, string>) {
    for (const name of named.keys()) {
      for (const part of new Set(name.split('.'))) {
        const list = this.byPart.get(part);
        if (list) list.push(name);
        else this.byPart.set(part, [name]);
      }
    }
  }

  /** The fingerprint of everything `words` (a declaration's) reach through the entries. */
  keyOf(words: ReadonlySet<string>): string {
    const reached = new Set<string>();
    const seenWords = new Set<string>();
    const queue = [...words];
    for (let w = queue.pop(); w !== undefined; w = queue.pop()) {
      if (seenWords.has(w)) continue;
      seenWords.add(w);
      for (const name of this.byPart.get(w) ?? []) {
        if (reached.has(name)) continue;
        reached.add(name);
        for (const v of this.wordsOfValue(name)) if (!seenWords.has(v)) queue.push(v);
      }
    }
    return [...reached].sort().map((n) => `${n}=${this.named.get(n) ?? ''}`).join('\u0000');
  }

  private wordsOfValue(name: string): Set<string> {
    let words = this.valueWords.get(name);
    if (!words) this.valueWords.set(name, (words = wordsOf(this.named.get(name) ?? '')));
    return words;
  }
}

/** Do two maps hold the same entries? */
export function sameEntries(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
