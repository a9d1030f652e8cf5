import type { Edit, Finding, Fix, Span } from '../core/finding';
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
  if (finding.file !== ownFile) return undefined;
  // Everything before the first change (most findings of a typing edit): the same finding, nothing copied.
  if (before(finding, changes, ownFile)) return finding;
  return moveFinding(finding, (o) => mapOffset(o, changes), ownFile);
}

/** A finding (fixes resolved) of this file with every offset in the file moved by `delta`. */
export function shiftFindingBy(finding: Finding, delta: number, ownFile: string): Finding | undefined {
  if (finding.file !== ownFile) return undefined;
  return delta === 0 ? finding : moveFinding(finding, (o) => o + delta, ownFile);
}

function moveFinding(finding: Finding, map: (offset: number) => number | undefined, ownFile: string): Finding | undefined {
  const start = map(finding.span.start);
  const end = map(finding.span.end);
  if (start === undefined || end === undefined) return undefined;
  const fixes: Fix[] = [];
  for (const fix of finding.fixes as Fix[]) {
    const edits: Edit[] = [];
    for (const e of fix.edits) {
      if (isCreateFile(e) || (e.file !== undefined && e.file !== ownFile)) {
        edits.push(e);
        continue;
      }
      const s = map(e.start);
      const t = map(e.end);
      if (s === undefined || t === undefined) return undefined;
      edits.push({ ...e, start: s, end: t });
    }
    fixes.push({ ...fix, edits });
  }
  const related = finding.related?.map((r) => {
    if (r.file !== ownFile) return r;
    const s = map(r.span.start);
    const t = map(r.span.end);
    return s === undefined || t === undefined ? undefined : { ...r, span: { start: s, end: t } };
  });
  if (related?.some((r) => r === undefined)) return undefined;
  return { ...finding, span: { start, end }, fixes, related: related as Finding['related'] };
}

/** Does every offset of `finding` in its file lie at or before the start of every change (so that none moves)? */
function before(finding: Finding, changes: readonly TextChange[], ownFile: string): boolean {
  let first = Infinity;
  for (const c of changes) first = Math.min(first, c.start);
  if (finding.span.end > first) return false;
  for (const fix of finding.fixes as Fix[]) {
    for (const e of fix.edits) if (!isCreateFile(e) && (e.file === undefined || e.file === ownFile) && e.end > first) return false;
  }
  return (finding.related ?? []).every((r) => r.file !== ownFile || r.span.end <= first);
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

/** The identifier-like words of a text (Go identifiers, keywords, and words of comments and strings: a superset is safe). */
export function wordsOf(text: string): Set<string> {
  return new Set(text.match(WORD));
}

/**
 * Which declarations an edit of split-by-name declaration keys (see
 * `NamedKey`) reaches, between the maps of two versions: a declaration is
 * affected when its words, or the words of the entries they name (to a
 * fixpoint), name an entry that was added, removed or changed. Up to the
 * first changed entry the walk is the same in both versions, so the new map
 * decides. The walk is made once, backwards: the words that reach a changed
 * entry are its parts, then the parts of every entry whose value holds such a
 * word; a declaration is affected when one of its words is among them (one
 * set lookup per word, not a walk per declaration).
 *
 * A member entry (`T::f`, a struct field) is reached by a declaration that
 * reaches its owner `T` AND spells the member `f` (a selector `x.f` or a key
 * `f:`): editing one field re-checks what selects it on that struct, not
 * every declaration that mentions the struct or a field of the same name
 * elsewhere. Walking backwards through a member entry (its value names a
 * type that changed) adds its owner: a superset of its readers.
 *
 * Entries of keys read by scope (`NamedKey.reach` `'free'`, see `isFree`) are
 * not named by a word whose every mention in the declaration is a local
 * variable (`onlyLocal`): the words reached through some other entry
 * (`fixed`) count whatever their mentions.
 */
export class NamedDependencies {
  /** Words from which an added, removed or changed entry is reached. */
  private readonly reaching = new Set<string>();
  /** Of {@link reaching}, the parts of entries not read by scope: they count even when only locals spell them. */
  private readonly fixed = new Set<string>();
  /** Per owner of a changed member entry: the changed members' names, and the words from which the owner is reached. */
  private readonly members: { names: Set<string>; via: Set<string>; viaFixed: Set<string> }[] = [];

  constructor(before: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>, isFree: (name: string) => boolean = () => false) {
    const owners = new Map<string, Set<string>>();
    const changed = (name: string): void => {
      const member = splitMember(name);
      if (!member) {
        for (const part of name.split('.')) {
          this.reaching.add(part);
          if (!isFree(name)) this.fixed.add(part);
        }
        return;
      }
      const names = owners.get(member.owner);
      if (names) names.add(member.name);
      else owners.set(member.owner, new Set([member.name]));
    };
    for (const [name, value] of now) if (before.get(name) !== value) changed(name);
    for (const name of before.keys()) if (!now.has(name)) changed(name);
    if (this.reaching.size === 0 && owners.size === 0) return;
    // A word names the entries it is a part of and reaches the words of their values: walk those edges backwards.
    const namedIn = new Map<string, string[]>();
    for (const [name, value] of now) {
      for (const w of valueWords(value)) {
        const list = namedIn.get(w);
        if (list) list.push(name);
        else namedIn.set(w, [name]);
      }
    }
    closeOver(this.reaching, this.fixed, namedIn, isFree);
    for (const [owner, names] of owners) {
      // A reader of the owner is affected already (the owner's closure is within `reaching`, its fixed part within `fixed`).
      if (this.reaching.has(owner)) continue;
      const via = new Set([owner]);
      const viaFixed = new Set<string>();
      if (!isFree(owner)) viaFixed.add(owner);
      closeOver(via, viaFixed, namedIn, isFree);
      this.members.push({ names, via, viaFixed });
    }
  }

  /**
   * Does a declaration with these words depend on an entry that changed? `onlyLocal(w)`: is every mention
   * of `w` in the declaration a local variable (asked only of words that would otherwise decide)?
   */
  affects(words: ReadonlySet<string>, onlyLocal: (word: string) => boolean = () => false): boolean {
    const counts = (w: string, fixed: ReadonlySet<string>, any: ReadonlySet<string>): boolean => fixed.has(w) || (any.has(w) && !onlyLocal(w));
    if (this.reaching.size > 0) for (const w of words) if (counts(w, this.fixed, this.reaching)) return true;
    return this.members.some((m) => [...m.names].some((n) => words.has(n) && !onlyLocal(n)) && [...words].some((w) => counts(w, m.viaFixed, m.via)));
  }
}

/** `T::f` as its owner and member name; undefined for any other entry name. */
function splitMember(name: string): { owner: string; name: string } | undefined {
  const at = name.indexOf('::');
  return at < 0 ? undefined : { owner: name.slice(0, at), name: name.slice(at + 2) };
}

/**
 * Adds to `words` every word from which one of them is reached through the entries' values (see
 * {@link NamedDependencies}), and to `fixed` those that are parts of an entry not read by scope.
 */
function closeOver(words: Set<string>, fixed: Set<string>, namedIn: ReadonlyMap<string, readonly string[]>, isFree: (name: string) => boolean): void {
  const queue = [...words];
  for (let w = queue.pop(); w !== undefined; w = queue.pop()) {
    for (const name of namedIn.get(w) ?? []) {
      const member = splitMember(name);
      const free = isFree(name);
      for (const part of member ? [member.owner] : name.split('.')) {
        // A member's owner is reached through a type, as any reader of the owner: fixed when the owner's entry is.
        if (!(member ? isFree(member.owner) : free)) fixed.add(part);
        if (words.has(part)) continue;
        words.add(part);
        queue.push(part);
      }
    }
  }
}

const JSON_STRING_VALUE = /"((?:[^"\\]|\\.)*)"(?!\s*:)/g;

/** Words of an entry's fingerprint; of JSON, only those of its string values (its keys name no declaration). */
function valueWords(value: string): Set<string> {
  if (!value.startsWith('{') && !value.startsWith('[')) return wordsOf(value);
  const out = new Set<string>();
  for (const m of value.matchAll(JSON_STRING_VALUE)) for (const w of m[1].match(WORD) ?? []) out.add(w);
  return out;
}

/** Do two maps hold the same entries? */
export function sameEntries(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Do the findings' fixes edit only inside their declaration (in this file)? */
export function editsWithin(findings: readonly Finding[] | undefined, decl: Span, ownFile: string): boolean {
  return (findings ?? []).every((f) => (f.fixes as Fix[]).every((fix) => fix.edits.every((e) => isCreateFile(e) || (e.file !== undefined && e.file !== ownFile) || (e.start >= decl.start && e.end <= decl.end))));
}

/** The findings moved through the changes (the same array when none moved); undefined when one was rewritten. */
export function shiftAll(findings: Finding[], changes: readonly TextChange[], ownFile: string): Finding[] | undefined {
  const out: Finding[] = [];
  let moved = false;
  for (const f of findings) {
    const s = shiftFinding(f, changes, ownFile);
    if (!s) return undefined;
    moved ||= s !== f;
    out.push(s);
  }
  return moved ? out : findings;
}

/** A retired declaration's findings moved to where it is back; undefined when one reaches outside it (an import to add), which may have moved otherwise. */
export function movedBack(findings: readonly Finding[], then: Span | undefined, now: Span, ownFile: string): Finding[] | undefined {
  if (!then) return undefined;
  const inside = (s: Span): boolean => s.start >= then.start && s.end <= then.end;
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.file !== ownFile || !inside(f.span) || (f.related ?? []).some((r) => r.file === ownFile && !inside(r.span))) return undefined;
    if (!(f.fixes as Fix[]).every((fix) => fix.edits.every((e) => isCreateFile(e) || (e.file !== undefined && e.file !== ownFile) || inside(e)))) return undefined;
    const moved = shiftFindingBy(f, now.start - then.start, ownFile);
    if (!moved) return undefined;
    out.push(moved);
  }
  return out;
}

/** Did the changes touch the text between declaration `j` and the declaration before it (comments and blank lines)? */
export function editedAbove(decls: readonly { start: number; end: number; shape: string }[], j: number, changes: readonly TextChange[]): boolean {
  if (changes.length !== 1) return true;
  let k = j - 1;
  while (k >= 0 && decls[k].shape.includes('>comment:')) k--;
  const from = k < 0 ? 0 : decls[k].end;
  return changes[0].start <= decls[j].start && changes[0].end >= from;
}

/** Start of the line holding `offset` (a scan back to the line break: never past the line). */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** End of the line holding `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
