import type { Node, Query } from 'web-tree-sitter';
import type { GoFile, GoParser } from '../languages/go/parser';
import { resolveFixes, type Finding, type Span } from '../core/finding';
import { MergedGoQuery, emptyMatches } from './go-query';
import { shiftFinding, mapOffset, type TextChange } from './incremental';
import type { GoMatches, GoRule, RuleContext } from './rule';

/** Findings of one declaration-scoped rule for one top-level declaration of one version. */
interface DeclEntry {
  start: number;
  end: number;
  text: string;
  /** Node type and error state: error recovery can re-shape identical text, and no rule reports inside errors. */
  shape: string;
  findings: Finding[];
}

/** What a Go analysis keeps so that the next version can reuse the findings of untouched declarations. */
export interface GoRunCache {
  byRule: Map<string, { contextKey: string; decls: DeclEntry[] }>;
  dependencies: string[];
}

export interface GoRunOptions {
  enabled(ruleId: string): boolean;
  /** A context whose reports go to `sink`. */
  makeContext(rule: GoRule<unknown>, sink: Finding[]): RuleContext<unknown>;
  onError(rule: GoRule<unknown>, error: unknown): void;
  previous?: { cache: GoRunCache; changes: readonly TextChange[] };
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

  constructor(parser: GoParser, rules: readonly GoRule<unknown>[]) {
    this.fileQuery = new MergedGoQuery(parser, rules.filter((r) => r.scope !== 'declaration'));
    this.declQuery = new MergedGoQuery(parser, rules.filter((r) => r.scope === 'declaration'));
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
    // File-scoped rules: one query over the whole tree.
    const fileRules = this.fileQuery.rules.filter((r) => options.enabled(r.id));
    if (fileRules.length > 0) {
      const byRule = this.fileQuery.run(file.root, options.enabled);
      yield 'the Go query';
      for (const rule of fileRules) {
        timed(rule, () => { rule.check(options.makeContext(rule, findings), file, (byRule.get(rule.id) ?? emptyMatches(rule))); });
        yield rule.id;
      }
    }
    const cache: GoRunCache = { byRule: new Map(), dependencies: options.previous?.cache.dependencies ?? [] };
    const declRules = this.declQuery.rules.filter((r) => options.enabled(r.id));
    if (declRules.length === 0) return { findings, cache };
    const decls = file.root.namedChildren.filter((n): n is Node => n !== null);
    const text = file.source.text;
    // Which declarations can reuse the previous version's findings: same text, start mapped through the changes.
    // A re-analysis with no text change comes from something else changing (a go.mod, another file): reuse nothing.
    const canReuse = (options.previous?.changes.length ?? 0) > 0;
    const previousDecl = (rule: GoRule<unknown>, decl: Node, contextKey: string): DeclEntry | undefined => {
      if (!canReuse) return undefined;
      const prev = options.previous?.cache.byRule.get(rule.id);
      if (!prev || prev.contextKey !== contextKey) return undefined;
      const declText = text.slice(decl.startIndex, decl.endIndex);
      const shape = shapeOf(decl);
      return prev.decls.find((e) => e.text === declText && e.shape === shape && mapOffset(e.start, options.previous?.changes ?? []) === decl.startIndex);
    };
    const contextKeys = new Map<string, string>();
    for (const rule of declRules) {
      let key = '';
      timed(rule, () => {
        key = rule.contextKey?.(file, options.makeContext(rule, [])) ?? '';
      });
      contextKeys.set(rule.id, key);
    }
    const toRun = decls.filter((d) => declRules.some((r) => !previousDecl(r, d, contextKeys.get(r.id) ?? '')));
    const matchesByDecl = new Map<Node, ReturnType<MergedGoQuery['run']>>();
    for (const d of toRun) matchesByDecl.set(d, this.declQuery.run(d, options.enabled));
    for (const rule of declRules) {
      const contextKey = contextKeys.get(rule.id) ?? '';
      const entries: DeclEntry[] = [];
      for (const decl of decls) {
        const reused = previousDecl(rule, decl, contextKey);
        const shifted = reused && shiftAll(reused.findings, options.previous?.changes ?? [], file.path);
        let declFindings: Finding[];
        if (shifted) declFindings = shifted;
        else {
          declFindings = [];
          const matches = matchesByDecl.get(decl) ?? this.declQuery.run(decl, options.enabled);
          matchesByDecl.set(decl, matches);
          const own = matches.get(rule.id);
          if (own) timed(rule, () => { rule.check(options.makeContext(rule, declFindings), file, own); });
          // Cached findings outlive this tree: resolve lazy fixes now.
          for (const f of declFindings) resolveFixes(f);
          if (own) yield rule.id;
        }
        entries.push({ start: decl.startIndex, end: decl.endIndex, text: text.slice(decl.startIndex, decl.endIndex), shape: shapeOf(decl), findings: declFindings });
        findings.push(...declFindings.map((f) => ({ ...f })));
      }
      cache.byRule.set(rule.id, { contextKey, decls: entries });
    }
    return { findings, cache };
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

function shapeOf(decl: Node): string {
  return `${decl.parent?.type ?? ''}>${decl.type}:${decl.hasError ? 'error' : 'ok'}`;
}

function shiftAll(findings: readonly Finding[], changes: readonly TextChange[], ownFile: string): Finding[] | undefined {
  const out: Finding[] = [];
  for (const f of findings) {
    const s = shiftFinding(f, changes, ownFile);
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}
