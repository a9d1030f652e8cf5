import type { Node, Query } from 'web-tree-sitter';
import type { GoFile, GoParser } from '../languages/go/parser';
import { onlyLocalMentions } from '../languages/go/scope';
import { resolveFixes, type Finding, type Span } from '../core/finding';
import { MergedGoQuery, emptyMatches, type MatchRecord, type MatchesByRule } from './go-query';
import { NamedDependencies, editedAbove, editsWithin, lineEnd, lineStart, mapOffset, movedBack, sameEntries, shiftAll, wordsOf, type TextChange } from './incremental';
import type { GoRule, RuleContext } from './rule';
import type { AnyAnalysis, DeclarationKeyValue, NamedKey } from '../core/analysis';

/** One top-level declaration of one version. */
interface DeclEntry {
  start: number;
  end: number;
  text: string;
  /** Node type and error state: error recovery can re-shape identical text, and no rule reports inside errors. */
  shape: string;
  /** Its identifier-like words (for split-by-name keys), read when first needed and carried to the next version. */
  words?: Set<string>;
  /** Per word asked: is every mention of it a local variable (see `onlyLocalMentions`)? Carried as `words`. */
  onlyLocal?: Map<string, boolean>;
}

/** What a Go analysis keeps so that the next version can reuse the findings of untouched declarations. */
export interface GoRunCache {
  decls: DeclEntry[];
  /**
   * Per declaration-scoped rule: the context it ran in (the key every declaration
   * depends on, and the split-by-name entries each declaration depends on through
   * the names it mentions) and its findings per entry of `decls`.
   */
  byRule: Map<string, RuleRun>;
  /**
   * Per entry of `decls`, the file-scoped rules' query matches in it (offsets
   * relative to it): a declaration whose text is unchanged is not queried again.
   */
  fileMatches: MatchRecord[][];
  /** Per entry of `decls`, the declaration-scoped rules' query matches in it, when known (queried or carried). */
  declMatches: (MatchRecord[] | undefined)[];
  dependencies: string[];
  /** The header (package clause, imports) as written in this version. */
  headerText: string;
  /** Declarations earlier versions had and this one lacks, by {@link retiredKey} (see {@link Retired}). */
  retired: Map<string, Retired>;
  /** The most declarations a version of the document had so far: the pool keeps as many (and a few more). */
  mostDecls: number;
}

/** What a declaration-scoped rule ran in, and found, in one version (see {@link GoRunCache.byRule}). */
interface RuleRun {
  contextKey: string;
  named: ReadonlyMap<string, string>;
  own: ReadonlyMap<string, string>;
  /** The split-by-name keys `named` and `own` were merged from, in order: the same objects give the same maps. */
  parts: readonly NamedKey[];
  /** Names of `named` listed by a key not read by scope (`NamedKey.reach` other than `'free'`). */
  fixed: ReadonlySet<string>;
  findings: Finding[][];
}

/** One rule's run of one version: its context, and its findings for one declaration. */
interface RetiredRun {
  contextKey: string;
  named: ReadonlyMap<string, string>;
  own: ReadonlyMap<string, string>;
  findings: Finding[];
}

/**
 * A declaration a version lost: an unclosed bracket makes one declaration
 * (with an error) of the rest of the file, a cut removes one. Kept a few
 * versions with its matches and findings, so that it coming back (the bracket
 * closed or erased, the cut undone) re-checks it only if its context changed.
 */
interface Retired {
  entry: DeclEntry;
  fileMatches: MatchRecord[] | undefined;
  declMatches: MatchRecord[] | undefined;
  rules: Map<string, RetiredRun>;
  /** Versions since it was retired. */
  age: number;
}

/** Versions a retired declaration is kept for, and how many are kept beyond the file's own declarations. */
const [RETIRED_AGE, RETIRED_SPARE] = [64, 64];

export interface GoRunOptions {
  enabled(ruleId: string): boolean;
  /** A context whose reports go to `sink` (of a declaration-scoped rule checking one declaration). */
  makeContext(rule: GoRule<unknown>, sink: Finding[], declaration?: Span): RuleContext<unknown>;
  /** The declaration key of an analysis a declaration-scoped rule lists (see `Analysis.declarationKey`). */
  declarationKey(analysis: AnyAnalysis): DeclarationKeyValue;
  onError(rule: GoRule<unknown>, error: unknown): void;
  previous?: { cache: GoRunCache; changes: readonly TextChange[] };
  /**
   * No later version will start from this run (an audit, a one-off analysis):
   * the rules' context keys are not computed and no match or finding is kept
   * for reuse. Keys cost as much as the checks on a cold file (the package's
   * type and call facts fingerprinted per rule), and nothing would read them.
   */
  oneShot?: boolean;
  /** Accumulates milliseconds per rule id (bench). */
  timings?: Map<string, number>;
}

/**
 * Runs the Go rules on a file: file-scoped rules on one merged query over the
 * whole tree, declaration-scoped rules per top-level declaration, re-running
 * only declarations whose text or context changed since the previous version.
 */
export class GoRuleRunner {
  private readonly fileQuery: MergedGoQuery;
  private readonly declQuery: MergedGoQuery;
  private readonly commentQuery: Query;
  /** No file-scoped pattern matches the root itself: the file query may run declaration by declaration. */
  private readonly fileQueryPerDeclaration: boolean;

  constructor(parser: GoParser, rules: readonly GoRule<unknown>[]) {
    this.fileQuery = new MergedGoQuery(parser, rules.filter((r) => r.scope !== 'declaration'));
    this.fileQueryPerDeclaration = this.fileQuery.rules.every((r) => Object.values<string>(r.queries).every((q) => !q.includes('source_file')));
    this.declQuery = new MergedGoQuery(parser, rules.filter((r) => r.scope === 'declaration'));
    for (const rule of this.declQuery.rules) {
      const opaque = (rule.analyses ?? []).filter((a) => a.declarationKey === undefined).map((a) => a.id);
      if (opaque.length > 0) throw new Error(`${rule.id}: a declaration-scoped rule reads ${opaque.join(', ')}, which declare no declarationKey`);
    }
    this.commentQuery = parser.query('(comment) @comment');
  }

  comments(file: GoFile): Span[] {
    return this.commentQuery.captures(file.root).map((c) => ({ start: c.node.startIndex, end: c.node.endIndex }));
  }

  run(file: GoFile, options: GoRunOptions): { findings: Finding[]; cache: GoRunCache } {
    return drain(this.steps(file, options));
  }

  /**
   * {@link run} step by step: yields the id of each rule after it ran (on the
   * file, or on one declaration), so a host can check a budget, answer
   * requests or abandon a stale version between rules.
   */
  *steps(file: GoFile, options: GoRunOptions): Generator<string, { findings: Finding[]; cache: GoRunCache }, void> {
    const findings: Finding[] = [];
    const timed = (rule: GoRule<unknown>, fn: () => void): void => {
      const t0 = options.timings ? performance.now() : 0;
      try {
        fn();
      } catch (e) {
        options.onError(rule, e);
      }
      if (options.timings) options.timings.set(rule.id, (options.timings.get(rule.id) ?? 0) + performance.now() - t0);
    };
    const text = file.source.text;
    const decls = file.root.namedChildren.filter((n): n is Node => n !== null);
    // A declaration's text runs from the start of its first line to the end of its last: a fix reads the line's
    // indentation, and a declaration that error recovery starts mid-line shares its line with another.
    const [rootType, anyError] = [file.root.type, file.root.hasError];
    const entries: DeclEntry[] = decls.map((d) => ({ start: d.startIndex, end: d.endIndex, text: text.slice(lineStart(text, d.startIndex), lineEnd(text, d.endIndex)), shape: shapeOf(d, rootType, anyError) }));
    const cache: GoRunCache = { decls: entries, byRule: new Map(), fileMatches: [], declMatches: [], dependencies: options.previous?.cache.dependencies ?? [], headerText: file.declMemo.headerText, retired: new Map(), mostDecls: Math.max(entries.length, options.previous?.cache.mostDecls ?? 0) };
    // The previous version's entry of each declaration: same text and shape, start mapped through the changes.
    // A re-analysis with no text change comes from something else changing (a go.mod, another file): reuse nothing.
    const previous = options.previous && options.previous.changes.length > 0 ? options.previous : undefined;
    const previousIndex: (number | undefined)[] = entries.map(() => undefined);
    if (previous) {
      const byStart = new Map<number, number>();
      previous.cache.decls.forEach((e, j) => {
        const at = mapOffset(e.start, previous.changes);
        if (at !== undefined) byStart.set(at, j);
      });
      entries.forEach((e, i) => {
        const j = byStart.get(e.start);
        const old = j === undefined ? undefined : previous.cache.decls[j];
        if (old && old.text === e.text && old.shape === e.shape) {
          previousIndex[i] = j;
          e.words = old.words;
          e.onlyLocal = old.onlyLocal;
        }
      });
    }
    // A new declaration an earlier version had (a bracket closed, a cut undone): its matches and, per rule, its findings.
    const pooled = previous && !options.oneShot ? entries.map((e, i) => (previousIndex[i] === undefined ? previous.cache.retired.get(retiredKey(e)) : undefined)) : [];
    pooled.forEach((p, i) => { if (p) entries[i].words ??= p.entry.words; });
    if (previous && !options.oneShot) retire(previous.cache, previousIndex, pooled, cache.retired, cache.mostDecls);
    // File-scoped rules: one query, over the declarations whose text changed (the others' matches are carried over).
    const fileRules = this.fileQuery.rules.filter((r) => options.enabled(r.id));
    if (fileRules.length > 0) {
      const byRule = options.oneShot
        ? this.fileQuery.run(file.root, (id) => options.enabled(id))
        : this.fileMatches(file, decls, entries, previousIndex, pooled, previous?.cache, (id) => options.enabled(id), cache.fileMatches);
      yield 'the Go query';
      for (const rule of fileRules) {
        timed(rule, () => { rule.check(options.makeContext(rule, findings), file, (byRule.get(rule.id) ?? emptyMatches(rule))); });
        yield rule.id;
      }
    }
    const declRules = this.declQuery.rules.filter((r) => options.enabled(r.id));
    if (declRules.length === 0) return { findings, cache };
    // The imports were edited but answer every question asked of them alike (the header's key is unchanged):
    // a finding whose fix edits outside its declaration (an import to add) may have to edit elsewhere now.
    const headerMoved = previous !== undefined && previous.cache.headerText !== file.declMemo.headerText;
    // Likewise when the edit touched what lies before a declaration (its doc comment): a fix inserting above it starts there.
    const aboveEdited = (j: number): boolean => previous !== undefined && editedAbove(previous.cache.decls, j, previous.changes);
    // A rule's context: the file header (package clause, imports) and what its analyses read outside a declaration.
    // Split-by-name keys: each declaration depends on the entries its names reach.
    const contextKeys = new Map<string, { key: string; named: ReadonlyMap<string, string>; own: ReadonlyMap<string, string>; parts: NamedKey[]; fixed: ReadonlySet<string> }>();
    for (const rule of options.oneShot ? [] : declRules) {
      let key = file.declMemo.header;
      const parts: NamedKey[] = [];
      const ids: string[] = [];
      let named: ReadonlyMap<string, string> = new Map<string, string>();
      let own: ReadonlyMap<string, string> = new Map<string, string>();
      let fixed: ReadonlySet<string> = new Set<string>();
      timed(rule, () => {
        for (const a of rule.analyses ?? []) {
          const k = options.declarationKey(a);
          if (typeof k === 'string') key += `\u0000${k}`;
          else {
            parts.push(k);
            ids.push(a.id);
          }
        }
        if (rule.contextKey) key += `\u0000${rule.contextKey(file, options.makeContext(rule, []))}`;
        // The same split keys as the previous version (an analysis hands on its key while its inputs are the same
        // objects): the same maps, neither merged nor compared again.
        const before = options.previous?.cache.byRule.get(rule.id);
        if (before && before.parts.length === parts.length && before.parts.every((p, i) => p === parts[i])) {
          named = before.named;
          own = before.own;
          fixed = before.fixed;
          return;
        }
        const merged = { named: new Map<string, string>(), own: new Map<string, string>(), fixed: new Set<string>() };
        parts.forEach((k, i) => {
          const into = k.reach === 'own' ? merged.own : merged.named;
          for (const [name, value] of k.named) into.set(name, `${into.get(name) ?? ''}\u0000${ids[i]}:${value}`);
          if (k.reach !== 'own' && k.reach !== 'free') for (const name of k.named.keys()) merged.fixed.add(name);
        });
        named = merged.named;
        own = merged.own;
        fixed = merged.fixed;
      });
      contextKeys.set(rule.id, { key, named, own, parts, fixed });
    }
    const wordsAt = (i: number): Set<string> => {
      const e = entries[i];
      e.words ??= wordsOf(e.text);
      return e.words;
    };
    const onlyLocalAt = (i: number) => (word: string): boolean => {
      const e = entries[i];
      e.onlyLocal ??= new Map();
      let only = e.onlyLocal.get(word);
      if (only === undefined) e.onlyLocal.set(word, (only = onlyLocalMentions(file.root, text, { start: lineStart(text, e.start), end: lineEnd(text, e.end) }, word)));
      return only;
    };
    const matchesByDecl = new Map<number, ReturnType<MergedGoQuery['run']>>();
    // An unchanged declaration's matches (when the previous version knew them) are carried, queried or not.
    const carriedDecl = entries.map((e, i) => {
      const j = previousIndex[i];
      if (!e.shape.endsWith(':ok')) return undefined;
      return j === undefined ? pooled[i]?.declMatches : previous?.cache.declMatches[j];
    });
    carriedDecl.forEach((c, i) => (cache.declMatches[i] = c));
    for (const rule of declRules) {
      const { key: contextKey, named, own, parts, fixed } = contextKeys.get(rule.id) ?? { key: '', named: new Map<string, string>(), own: new Map<string, string>(), parts: [], fixed: new Set<string>() };
      const prevRule = previous?.cache.byRule.get(rule.id);
      const reusable = prevRule && prevRule.contextKey === contextKey ? prevRule : undefined;
      // When the split-by-name entries changed, a declaration is reused only if the entries it reaches did not.
      const namedChanged = reusable && !sameEntries(reusable.named, named) ? new NamedDependencies(reusable.named, named, (name) => !fixed.has(name) && !reusable.fixed.has(name)) : undefined;
      const ownChanged = reusable && !sameEntries(reusable.own, own) ? new NamedDependencies(reusable.own, own) : undefined;
      const perDecl: Finding[][] = [];
      // Per context of a retired declaration's run: which declarations the named entries changed since then reach.
      const sinceRetired = new Map<RetiredRun['named'], NamedDependencies | undefined>();
      const changedSince = (then: RetiredRun['named'], now: ReadonlyMap<string, string>): NamedDependencies | undefined => {
        if (!sinceRetired.has(then)) sinceRetired.set(then, sameEntries(then, now) ? undefined : new NamedDependencies(then, now));
        return sinceRetired.get(then);
      };
      for (const [i, decl] of decls.entries()) {
        const j = previousIndex[i];
        const unaffected = j !== undefined && !namedChanged?.affects(wordsAt(i), onlyLocalAt(i)) && !ownChanged?.affects(ownName(decl));
        const oldEntry = j === undefined ? undefined : previous?.cache.decls[j];
        const old = reusable && j !== undefined && unaffected && (!(headerMoved || aboveEdited(j)) || (oldEntry && editsWithin(reusable.findings[j], oldEntry, file.path))) ? reusable.findings[j] : undefined;
        const back = pooled[i]?.rules.get(rule.id);
        const shifted = old && previous
          ? shiftAll(old, previous.changes, file.path)
          : back && back.contextKey === contextKey && !changedSince(back.named, named)?.affects(wordsAt(i)) && !changedSince(back.own, own)?.affects(ownName(decl))
            ? movedBack(back.findings, pooled[i]?.entry, entries[i], file.path)
            : undefined;
        let declFindings: Finding[];
        if (shifted) declFindings = shifted;
        // A declaration holding a syntax error gets no findings (the engine drops reports inside it): nothing to check.
        // Not only a saving: an unclosed bracket makes one declaration of the rest of the file.
        else if (!entries[i].shape.endsWith(':ok')) declFindings = [];
        else {
          declFindings = [];
          let matches = matchesByDecl.get(i);
          if (!matches) {
            matches = options.oneShot
              ? this.declQuery.run(decl, (id) => options.enabled(id))
              : this.declarationMatches(decl, carriedDecl[i], (id) => options.enabled(id), cache.declMatches, i);
            matchesByDecl.set(i, matches);
          }
          // A rule without patterns finds its nodes by name within the declaration: it checks every one.
          const own = matches.get(rule.id) ?? (Object.keys(rule.queries).length === 0 && decl.type !== 'comment' ? emptyMatches(rule) : undefined);
          const span = { start: decl.startIndex, end: decl.endIndex };
          if (own) timed(rule, () => { rule.check(options.makeContext(rule, declFindings, span), file, own); });
          // Cached findings outlive this tree: resolve lazy fixes now.
          for (const f of declFindings) resolveFixes(f);
          if (own) yield rule.id;
        }
        perDecl.push(declFindings);
        for (const f of declFindings) findings.push({ ...f });
      }
      if (!options.oneShot) cache.byRule.set(rule.id, { contextKey, named, own, parts, fixed, findings: perDecl });
    }
    return { findings, cache };
  }

  /**
   * The file-scoped rules' matches: the query runs on each top-level
   * declaration whose text changed (or that holds a syntax error); an
   * unchanged one's matches are the previous version's, as nodes of this
   * tree. A pattern matches within one declaration (none names
   * `source_file`), so this is what one query over the whole tree finds, in
   * the same order. `records` gets every declaration's matches for the next
   * version.
   */
  private fileMatches(
    file: GoFile, decls: readonly Node[], entries: readonly DeclEntry[], previousIndex: readonly (number | undefined)[], pooled: readonly (Retired | undefined)[],
    previous: GoRunCache | undefined, enabled: (id: string) => boolean, records: MatchRecord[][],
  ): MatchesByRule {
    if (!this.fileQueryPerDeclaration) return this.fileQuery.run(file.root, enabled);
    const carried = decls.map((_, i) => {
      const j = previousIndex[i];
      if (!entries[i].shape.endsWith(':ok')) return undefined;
      return j === undefined ? pooled[i]?.fileMatches : previous?.fileMatches[j];
    });
    if (carried.filter((c) => c === undefined).length * 2 > decls.length) {
      // Most declarations changed (or no previous version): one query over the tree, its matches split by declaration.
      const all: MatchRecord[] = [];
      const byRule = this.fileQuery.run(file.root, enabled, new Map(), all);
      const split: MatchRecord[][] = entries.map(() => []);
      let at = 0;
      for (const m of all) {
        const start = Math.min(...m.captures.map((c) => c.start));
        const end = Math.max(...m.captures.map((c) => c.end));
        // Matches come in document order, mostly: the last declaration first, else a search.
        if (!(at < entries.length && entries[at].start <= start && end <= entries[at].end)) at = entries.findIndex((e) => e.start <= start && end <= e.end);
        // A match in no declaration: nothing carried to the next version.
        if (at < 0) return byRule;
        const base = entries[at].start;
        split[at].push({ pattern: m.pattern, captures: m.captures.map((c) => ({ ...c, start: c.start - base, end: c.end - base })) });
      }
      records.push(...split);
      return byRule;
    }
    const byRule: MatchesByRule = new Map();
    decls.forEach((decl, i) => {
      const old = carried[i];
      if (old && this.fileQuery.add(byRule, decl, old, enabled)) {
        records.push(old);
        return;
      }
      const fresh: MatchRecord[] = [];
      this.fileQuery.run(decl, enabled, byRule, fresh);
      records.push(fresh);
    });
    return byRule;
  }

  /** One declaration's matches of the declaration-scoped rules: carried from the previous version when its text is unchanged, else queried; recorded for the next. */
  private declarationMatches(decl: Node, carried: MatchRecord[] | undefined, enabled: (id: string) => boolean, records: (MatchRecord[] | undefined)[], i: number): MatchesByRule {
    if (carried) {
      const byRule: MatchesByRule = new Map();
      if (this.declQuery.add(byRule, decl, carried, enabled)) return byRule;
    }
    const fresh: MatchRecord[] = [];
    records[i] = fresh;
    return this.declQuery.run(decl, enabled, new Map(), fresh);
  }

  dispose(): void {
    this.fileQuery.dispose();
    this.declQuery.dispose();
    this.commentQuery.delete();
  }
}

/** Runs a generator of steps to its end. */
export function drain<T>(steps: Generator<string, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A root child's shape: its parent's type (the root's), its type and error state (asked of the tree only when the file has one). */
function shapeOf(decl: Node, rootType: string, anyError: boolean): string {
  return `${rootType}>${decl.type}:${anyError && decl.hasError ? 'error' : 'ok'}`;
}

/** The name a function or method declaration declares (none for other declarations). */
function ownName(decl: Node): Set<string> {
  const name = decl.type === 'function_declaration' || decl.type === 'method_declaration' ? decl.childForFieldName('name')?.text : undefined;
  return new Set(name === undefined ? [] : [name]);
}

/** Declarations of a retired pool are found by text and shape (position apart, a declaration's findings depend on nothing else but its context). */
function retiredKey(e: DeclEntry): string {
  return `${e.shape}\u0000${e.text}`;
}

/**
 * The pool handed to the next version: the previous pool aged (what came back
 * now, or grew too old, left), plus the previous version's error-free
 * declarations that this one lacks; at most a few more than the most
 * declarations a version had, the oldest dropped first.
 */
function retire(previous: GoRunCache, previousIndex: readonly (number | undefined)[], pooled: readonly (Retired | undefined)[], into: Map<string, Retired>, mostDecls: number): void {
  const back = new Set(pooled);
  for (const [key, r] of previous.retired) if (!back.has(r) && r.age < RETIRED_AGE) into.set(key, { ...r, age: r.age + 1 });
  const kept = new Set(previousIndex);
  previous.decls.forEach((entry, j) => {
    if (kept.has(j) || !entry.shape.endsWith(':ok')) return;
    const rules = new Map<string, RetiredRun>();
    for (const [id, run] of previous.byRule) rules.set(id, { contextKey: run.contextKey, named: run.named, own: run.own, findings: run.findings[j] });
    const key = retiredKey(entry);
    into.delete(key);
    into.set(key, { entry, fileMatches: previous.fileMatches[j], declMatches: previous.declMatches[j], rules, age: 0 });
  });
  for (const key of into.keys()) {
    if (into.size <= mostDecls + RETIRED_SPARE) break;
    into.delete(key);
  }
}
